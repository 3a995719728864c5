// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// Many slow clients of an HTTPS route with HTTP/2 cost the proxy a bounded amount each, and
/// do not hold back a fast client alongside.
@Suite("Slow readers")
struct SlowReaderTests {
    /// Under sanitizers the proxy is many times slower and its memory says little: fewer readers there.
    private static let readers = ProcessMemory.boundsAreMeaningful ? 20 : 4
    private static let bytesPerSecond = 100_000
    private static let responseSize = 200_000_000

    @Test func twentySlowHTTP2ReadersStayWithinTheBudgetAndAFastClientStillCompletes() async throws {
        let upstream = try await RouteUpstream(.https)
        let proxy = try await SingleRouteProxy(
            upstream: upstream.url, keys: "auth: {type: none}\n\(upstream.tlsKeys)\nhttpVersion: \"2\"")
        let pid = proxy.process.process.pid
        let before = try ProcessMemory.residentBytes(of: pid)
        try ProcessMemory.resetPeak(of: pid)

        let slow = try (0..<Self.readers).map { _ in
            try SlowReader(
                port: proxy.process.port, target: "http://\(SingleRouteProxy.host)/bytes/\(Self.responseSize)",
                bytesPerSecond: Self.bytesPerSecond)
        }
        // Every slow response has begun before the fast one starts.
        #expect(try await eventually { slow.allSatisfy { $0.bytesRead > 0 } })

        let fast = try await proxy.send("/bytes/100000000")
        // Paused HTTP/2 streams grew without bound over time in libcurl 7.88 when they shared a connection:
        // the readers go on for several seconds of resumes and pauses before the peak is taken.
        #expect(try await eventually(timeout: .seconds(60)) { slow.allSatisfy { $0.bytesRead >= 600_000 } })
        let peak = try ProcessMemory.peakResidentBytes(of: pid)
        let stillReading = slow.filter { $0.bytesRead < Self.responseSize && $0.failure == nil }.count
        slow.forEach { $0.stop() }

        #expect(fast.status == 200)
        #expect(fast.body.count == 100_000_000 && BytePattern.matches(fast.body))
        #expect(stillReading == Self.readers, "the fast client waited for slow ones to finish")
        #expect(slow.compactMap(\.failure).isEmpty, "\(slow.compactMap(\.failure))")
        if ProcessMemory.boundsAreMeaningful {
            #expect(peak < 96 << 20, "peak RSS \(peak >> 20) MiB with \(Self.readers) slow HTTP/2 readers")
            #expect(
                peak - before < 48 << 20, "RSS grew by \((peak - before) >> 20) MiB with \(Self.readers) slow readers")
        }
        #expect(proxy.process.process.isRunning)
    }
}

/// A client that reads its response at a fixed rate, on a thread of its own, until stopped.
///
/// `@unchecked Sendable`: the socket is used by the reading thread only, the progress under the lock
/// (an `NSLock`, which ThreadSanitizer follows).
private final class SlowReader: @unchecked Sendable {
    private let socket: LoopbackSocket
    private let lock = NSLock()
    private var read = 0
    private var error: String?
    private var stopped = false

    init(port: Int, target: String, bytesPerSecond: Int) throws {
        socket = try LoopbackSocket.connect(port: port, timeout: .seconds(30))
        try socket.send(Array("GET \(target) HTTP/1.1\r\nHost: \(SingleRouteProxy.host)\r\n\r\n".utf8))
        let slice = bytesPerSecond / 10
        Thread { [self] in
            while !lock.withLock({ stopped }) {
                do {
                    let bytes = try socket.receive(limit: slice)
                    if bytes.isEmpty { break }
                    lock.withLock { read += bytes.count }
                } catch {
                    lock.withLock { self.error = "\(error)" }
                    break
                }
                Thread.sleep(forTimeInterval: 0.1)  // the rate, not a synchronisation
            }
        }.start()
    }

    var bytesRead: Int { lock.withLock { read } }
    var failure: String? { lock.withLock { error } }

    func stop() {
        lock.withLock { stopped = true }
    }
}
