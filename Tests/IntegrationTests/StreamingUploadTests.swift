// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// Request bodies stream upstream in bounded memory: only a body up to the replay buffer is kept.
@Suite("Streaming uploads")
struct StreamingUploadTests {
    /// Under sanitizers the proxy is many times slower and its memory says little: smaller bodies there.
    private static let scale = ProcessMemory.boundsAreMeaningful ? 1 : 16

    @Test(arguments: [false, true])
    func aGigabyteUploadArrivesIntactInBoundedMemory(chunked: Bool) async throws {
        let stack = try await ProxyStack()
        let pid = stack.proxy.process.pid
        #expect(try stack.send("/warm-up").status == 200)
        try ProcessMemory.resetPeak(of: pid)
        let size = (1 << 30) / Self.scale

        let result = try await UploadClient.upload(
            proxyPort: stack.proxy.port, path: "/upload", bytes: size, chunked: chunked)

        #expect(result.status == 200, "\(result.text ?? "")")
        #expect(result.received?.bytes == size)
        #expect(result.received?.sha256 == result.sentSHA256)
        let peak = try ProcessMemory.peakResidentBytes(of: pid)
        if ProcessMemory.boundsAreMeaningful {
            #expect(peak < 64 << 20, "RSS peaked at \(peak >> 20) MiB")
        }
    }

    @Test func sixteenConcurrentUploadsStayWithinTheBudget() async throws {
        let stack = try await ProxyStack()
        let pid = stack.proxy.process.pid
        #expect(try stack.send("/warm-up").status == 200)
        try ProcessMemory.resetPeak(of: pid)
        let size = 200_000_000 / Self.scale
        let port = stack.proxy.port

        let results = try await withThrowingTaskGroup(of: UploadClient.Result.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await UploadClient.upload(proxyPort: port, path: "/upload/\(index)", bytes: size)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(results.map(\.status) == Array(repeating: 200, count: 16))
        #expect(results.allSatisfy { $0.received?.bytes == size && $0.received?.sha256 == $0.sentSHA256 })
        let peak = try ProcessMemory.peakResidentBytes(of: pid)
        if ProcessMemory.boundsAreMeaningful {
            #expect(peak < 96 << 20, "RSS peaked at \(peak >> 20) MiB")
        }
    }

    @Test func aBodyWithinTheReplayBufferIsReplayedAfterA401() async throws {
        let stack = try await ProxyStack()
        let result = try await UploadClient.upload(
            proxyPort: stack.proxy.port, path: "/unauthorized-once/small", bytes: 900_000)

        #expect(result.status == 200)
        #expect(result.received?.sha256 == result.sentSHA256)
        #expect(try stack.authorizationServer.stats().tokenRequests == 2)
    }

    @Test func aLargeUploadWhoseTokenWasRevokedGetsThe401AndTheNextRequestANewToken() async throws {
        let stack = try await ProxyStack()
        let result = try await UploadClient.upload(
            proxyPort: stack.proxy.port, path: "/unauthorized-once/large", bytes: 8 << 20)

        #expect(result.status == 401, "a body sent once cannot be replayed: the client gets the upstream's 401")
        #expect(try stack.send("/unauthorized-once/large").status == 200)
        #expect(try stack.authorizationServer.stats().tokenRequests == 2)
    }

    @Test func aSlowUpstreamReaderHoldsTheClientBack() async throws {
        let stack = try await ProxyStack()
        let pid = stack.proxy.process.pid
        #expect(try stack.send("/warm-up").status == 200)
        try ProcessMemory.resetPeak(of: pid)
        let before = try ProcessMemory.residentBytes(of: pid)

        // The upstream takes 4 MB/s; the client would send 16 MiB at once.
        let result = try await UploadClient.upload(
            proxyPort: stack.proxy.port, path: "/slow-reader/4000000", bytes: 16 << 20)

        #expect(result.status == 200)
        #expect(result.received?.sha256 == result.sentSHA256)
        let growth = try ProcessMemory.peakResidentBytes(of: pid) - before
        if ProcessMemory.boundsAreMeaningful {
            #expect(growth < 6 << 20, "RSS grew by \(growth >> 20) MiB while the upstream read slowly")
        }
    }

    @Test func aClientLeavingMidUploadCancelsTheUpstreamTransfer() async throws {
        let stack = try await ProxyStack()
        #expect(try stack.send("/warm-up").status == 200)
        do {
            let socket = try LoopbackSocket.connect(port: stack.proxy.port, timeout: .seconds(10))
            try socket.send(
                Array("PUT http://\(ProxyStack.host)/upload HTTP/1.1\r\nHost: \(ProxyStack.host)\r\n".utf8)
                    + Array("Content-Length: 100000000\r\n\r\n".utf8) + [UInt8](repeating: 7, count: 1 << 20))
        }  // the socket closes here, 99 MB short

        let entries = try await stack.proxy.requestLog(atLeast: 2)
        #expect(entries.last?.error == "client_gone")
        var cut = 0
        let deadline = ContinuousClock.now + .seconds(10)
        while cut == 0, ContinuousClock.now < deadline {
            cut = try stack.upstream.cutBodies()
            if cut == 0 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(cut == 1, "the upstream still waits for the rest of the body")
    }
}
