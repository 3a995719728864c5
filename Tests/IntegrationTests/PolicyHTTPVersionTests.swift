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

    /// With "2", each event loop (one per core) multiplexes its requests on one connection, so "one" is one per
    /// loop; with "1.1", the same burst needs a connection per request in flight.
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
        let loops = ProcessInfo.processInfo.activeProcessorCount
        let connections = Set(log.map(\.connection)).count
        if httpVersion == "2" {
            #expect(connections <= loops, "\(connections) connections for \(loops) event loops")
        } else {
            #expect(connections > loops, "only \(connections) HTTP/1.1 connections for 20 requests at once")
        }
    }
}
