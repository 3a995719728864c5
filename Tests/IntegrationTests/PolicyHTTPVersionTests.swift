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

    /// With "2", the route's transfers all run on one event loop, which multiplexes them on one connection,
    /// whichever loops the clients' connections landed on; with "1.1", the burst needs a connection per request.
    @Test(arguments: [("2", "HTTP/2.0"), ("1.1", "HTTP/1.1")])
    func concurrentRequestsShareOneConnectionOnlyWithHTTP2(httpVersion: String, nginxProtocol: String) async throws {
        let upstream = try await RouteUpstream(.https)
        let proxy = try await Self.proxy(to: upstream, httpVersion: httpVersion)

        let app = proxy.app
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                // /slow keeps every request in flight at once.
                group.addTask { try await app.send("/slow/300?request=\(index)").status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(statuses == Array(repeating: 200, count: 20))
        let log = try await upstream.echo.accessLog(atLeast: 20)
        #expect(log.count == 20)
        #expect(log.allSatisfy { $0.serverProtocol == nginxProtocol })
        let connections = Set(log.map(\.connection)).count
        if httpVersion == "2" {
            #expect(connections == 1, "\(connections) upstream connections for 20 multiplexed requests")
        } else {
            #expect(connections > 1, "only \(connections) HTTP/1.1 connection for 20 requests at once")
        }
    }

    /// The multiplexed route's transfers run on one loop and hand the body to the client's loop:
    /// a large body must arrive whole, and concurrent ones must not mix.
    @Test func largeBodiesCrossLoopsIntact() async throws {
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

    /// Backpressure crosses loops too: a client that does not read holds the multiplexed transfer back.
    /// libcurl 7.88 keeps reading a paused HTTP/2 stream up to its 32 MiB window, so the bound is that
    /// window plus slack, against the 100 MB that would pile up without backpressure.
    @Test func slowClientOfAMultiplexedRouteKeepsMemoryBounded() async throws {
        let upstream = try await RouteUpstream(.https)
        let proxy = try await Self.proxy(to: upstream, httpVersion: "2")
        // Connections go to the loops in turn: the first one takes the route's own loop,
        // so the reading client's lands on another one (when there are two or more).
        let placeholder = try HTTPClient(port: proxy.process.port)
        let client = try HTTPClient(port: proxy.process.port)
        let pid = proxy.process.process.pid
        let before = try ProcessMemory.residentBytes(of: pid)
        try client.send(HTTPRequest("GET", "http://\(SingleRouteProxy.host)/bytes/100000000"))
        var peak = before
        for _ in 0..<30 {
            try await Task.sleep(for: .milliseconds(50))
            peak = max(peak, try ProcessMemory.residentBytes(of: pid))
        }
        let body = try client.readResponse().body

        #expect(peak - before < 48 << 20, "RSS grew by \((peak - before) >> 20) MiB while the client did not read")
        #expect(body.count == 100_000_000 && BytePattern.matches(body))
        withExtendedLifetime(placeholder) {}
    }
}
