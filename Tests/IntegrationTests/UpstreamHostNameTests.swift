// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc
import Testing

/// An upstream named by a host name that curl resolves on its resolver thread, whose socket pair
/// curl watches and closes itself: the socket curl then opens for the connection often gets the
/// same number, and must still be watched.
@Suite("Upstream named by a host name")
struct UpstreamHostNameTests {
    @Test(.enabled(if: LoopbackHostName.value != nil, "this machine's host name does not resolve to 127.0.0.1"))
    func theFirstRequestsThroughAResolvedNameAreAnswered() async throws {
        let hostName = try #require(LoopbackHostName.value)
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(
            upstream: "http://\(hostName):\(upstream.port)",
            keys: "auth: {type: none}\nconnectionTimeout: 5\nretryAttempts: 0")

        for index in 0..<3 {
            let response = try await proxy.send("/named/\(index)")
            #expect(response.status == 200, "request \(index): \(response.status)")
        }
    }
}

/// This machine's host name when the system resolver maps it to 127.0.0.1, where the test upstreams
/// listen. curl resolves "localhost" itself, without its resolver thread, so it cannot stand in.
enum LoopbackHostName {
    static let value: String? = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return nil }
        let hostName = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard !hostName.isEmpty, hostName.lowercased() != "localhost" else { return nil }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(hostName, nil, &hints, &results) == 0, let first = results else { return nil }
        defer { freeaddrinfo(first) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let isLoopback = current.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                $0.pointee.sin_addr.s_addr == in_addr_t(0x7f00_0001).bigEndian
            }
            if isLoopback { return hostName }
            entry = current.pointee.ai_next
        }
        return nil
    }()
}
