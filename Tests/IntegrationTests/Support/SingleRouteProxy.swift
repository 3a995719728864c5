// SPDX-License-Identifier: Apache-2.0
import Foundation

/// token-proxy with one route, for host `api.test`, whose other keys the test
/// writes: upstream policy (proxy, HTTP version, timeouts, retries), TLS and auth.
///
/// Everything the route does not set keeps the contract's default, so `auth`
/// must be given (`auth: {type: none}` for a route that injects no token).
/// token-proxy stops when released.
final class SingleRouteProxy {
    static let host = "api.test"

    let process: TokenProxyProcess

    /// - Parameters:
    ///   - upstream: the route's `upstream` URL.
    ///   - keys: YAML lines for the route, unindented, e.g. `retryAttempts: 2`.
    ///   - environment: added to token-proxy's environment, e.g. `HTTPS_PROXY` or a secret for `${env:}`.
    init(upstream: String, keys: String, environment: [String: String] = [:]) async throws {
        let port = try FreePort.allocate()
        let routeKeys = keys.split(separator: "\n").map { "    \($0)" }.joined(separator: "\n")
        process = try await TokenProxyProcess(
            configuration: """
                listen: 127.0.0.1:\(port)
                routes:
                  - name: api
                    hosts: [\(Self.host)]
                    upstream: \(upstream)
                \(routeKeys)

                """,
            port: port, environment: environment)
    }

    /// A route without auth to the echo upstream, with `keys` for the route.
    convenience init(withoutAuthTo upstream: EchoUpstream, keys: String) async throws {
        try await self.init(upstream: upstream.baseURL, keys: "auth: {type: none}\n\(keys)")
    }

    /// An app that sends its requests for the route through this token-proxy.
    var app: ClientApp { ClientApp(proxyPort: process.port) }

    /// Sends one request for `path` on a new connection; see `ClientApp.send`.
    func send(_ path: String) async throws -> HTTPResponse {
        try await app.send(path)
    }

    /// The request lines token-proxy logged; see `TokenProxyProcess.requestLog`.
    func requestLog(atLeast count: Int = 1) async throws -> [RequestLogEntry] {
        try await process.requestLog(atLeast: count)
    }

    /// Everything token-proxy wrote so far, stdout and stderr.
    var output: String {
        process.process.output() + process.process.errorOutput()
    }
}

/// A client app that uses token-proxy as its HTTP proxy for `api.test`; concurrent tasks may share it.
struct ClientApp: Sendable {
    let proxyPort: Int

    /// Sends `GET http://api.test<path>` on a new connection, from a thread of its own (it may wait for seconds).
    func send(_ path: String) async throws -> HTTPResponse {
        let port = proxyPort
        return try await DedicatedThread.run {
            try HTTPClient(port: port).exchange(HTTPRequest("GET", "http://\(SingleRouteProxy.host)\(path)"))
        }
    }
}
