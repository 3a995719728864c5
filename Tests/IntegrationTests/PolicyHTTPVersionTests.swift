// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `httpVersion` against nginx offering HTTP/2 over TLS, judged by what nginx logged.
@Suite("Upstream HTTP version")
struct PolicyHTTPVersionTests {
    private static func proxy(to upstream: RouteUpstream, httpVersion: String) async throws -> SingleRouteProxy {
        try await SingleRouteProxy(
            upstream: upstream.url, keys: "auth: {type: none}\n\(upstream.tlsKeys)\nhttpVersion: \"\(httpVersion)\"")
    }

    @Test(arguments: [("2", "HTTP/2.0"), ("1.1", "HTTP/1.1")])
    func httpVersionDecidesWhatNginxSees(httpVersion: String, nginxProtocol: String) async throws {
        let upstream = try await RouteUpstream(.https)
        let proxy = try await Self.proxy(to: upstream, httpVersion: httpVersion)

        let response = try await proxy.send("/version")

        #expect(response.status == 200, "\(response.text)")
        #expect(try EchoReport(response: response).nginxProtocol == nginxProtocol)
        #expect(try await upstream.echo.accessLog(atLeast: 1).map(\.serverProtocol) == [nginxProtocol])
    }

    /// Each request has an upstream connection of its own while it runs, HTTP/2 included: libcurl 7.88 would
    /// let a paused stream take in up to 32 MiB whenever another stream on its connection is read. Connections
    /// are kept and reused afterwards.
    @Test(arguments: [("2", "HTTP/2.0"), ("1.1", "HTTP/1.1")])
    func concurrentRequestsEachHaveAConnectionThatIsReusedAfter(httpVersion: String, nginxProtocol: String)
        async throws
    {
        let upstream = try await RouteUpstream(.https)
        let proxy = try await Self.proxy(to: upstream, httpVersion: httpVersion)

        let app = proxy.app
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<4 {
                // /slow keeps every request in flight at once.
                group.addTask { try await app.send("/slow/300?request=\(index)").status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let client = try HTTPClient(port: proxy.process.port)
        for index in 0..<4 {
            #expect(
                try client.exchange(HTTPRequest("GET", "http://\(SingleRouteProxy.host)/after/\(index)")).status == 200)
        }

        #expect(statuses == Array(repeating: 200, count: 4))
        let log = try await upstream.echo.accessLog(atLeast: 8)
        #expect(log.allSatisfy { $0.serverProtocol == nginxProtocol })
        let concurrent = Set(log.prefix(4).map(\.connection))
        #expect(concurrent.count == 4, "\(concurrent.count) upstream connections for 4 requests at once")
        #expect(log.suffix(4).allSatisfy { concurrent.contains($0.connection) }, "a kept connection was not reused")
    }

    /// Large bodies arrive whole over HTTP/2, and concurrent ones do not mix.
    @Test func largeBodiesArriveIntactOverHTTP2() async throws {
        let upstream = try await RouteUpstream(.https)
        let proxy = try await Self.proxy(to: upstream, httpVersion: "2")

        let app = proxy.app
        let bodies = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let response = try await app.send("/bytes/5000000")
                    return (response.status, response.body)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(bodies.map(\.0) == [200, 200, 200, 200])
        #expect(bodies.allSatisfy { $0.1.count == 5_000_000 && BytePattern.matches($0.1) })
    }

    /// A client that does not read holds its HTTP/2 transfer back, while another request on the route runs:
    /// the paused stream's data waits at the upstream, not in the proxy.
    @Test func slowClientOfAnHTTP2RouteKeepsMemoryBounded() async throws {
        let upstream = try await RouteUpstream(.https)
        let proxy = try await Self.proxy(to: upstream, httpVersion: "2")
        let client = try HTTPClient(port: proxy.process.port)
        let pid = proxy.process.process.pid
        let before = try ProcessMemory.residentBytes(of: pid)
        try client.send(HTTPRequest("GET", "http://\(SingleRouteProxy.host)/bytes/100000000"))
        var peak = before
        for _ in 0..<30 {
            try await Task.sleep(for: .milliseconds(50))
            peak = max(peak, try ProcessMemory.residentBytes(of: pid))
        }
        let alongside = try await proxy.send("/bytes/5000000")
        peak = max(peak, try ProcessMemory.residentBytes(of: pid))
        let body = try client.readResponse().body

        if ProcessMemory.boundsAreMeaningful {
            #expect(peak - before < 8 << 20, "RSS grew by \((peak - before) >> 20) MiB while the client did not read")
        }
        #expect(alongside.body.count == 5_000_000 && BytePattern.matches(alongside.body))
        #expect(body.count == 100_000_000 && BytePattern.matches(body))
    }
}
