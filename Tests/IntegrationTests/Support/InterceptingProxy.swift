// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc

/// token-proxy as HTTPS apps use it: an `intercept` CA made by `token-proxy ca init`, a static-token
/// route that names hosts `api.test` and `127.0.0.2` and forwards to the echo upstream,
/// a default route (`fallback`, no auth) for every other host, which must never open
/// a tunnel, and an admin listener for the metrics. Everything stops when released.
///
/// The token reaches token-proxy through `${env:}`, so a test can look for it
/// anywhere else: it is in neither the configuration file nor the command line.
final class InterceptingProxy {
    static let host = "api.test"
    /// An address the `api` route names too, for leaves with an IP address.
    static let address = "127.0.0.2"

    /// The token the `api` route injects; random per instance.
    let token = "intercept-token-" + UUID().uuidString
    let upstream: EchoUpstream
    let process: TokenProxyProcess
    let adminPort: Int
    /// The CA token-proxy intercepts with; nil when `intercept` is not configured.
    private(set) var authority: InterceptAuthority?
    /// Top-level keys besides the routes, such as `limits`.
    private let topLevel: String

    /// - Parameters:
    ///   - intercepting: whether `intercept` is configured, with a new CA.
    ///   - topLevel: extra top-level YAML, unindented, e.g. `limits: {headTimeout: 1}`.
    init(intercepting: Bool = true, topLevel: String = "") async throws {
        upstream = try await EchoUpstream()
        authority = intercepting ? try await InterceptAuthority() : nil
        adminPort = try FreePort.allocate()
        self.topLevel = topLevel
        let port = try FreePort.allocate()
        process = try await TokenProxyProcess(
            configuration: Self.configuration(
                port: port, adminPort: adminPort, upstream: upstream.baseURL, authority: authority,
                topLevel: topLevel),
            port: port, adminPort: adminPort, environment: ["TEST_ACCESS_TOKEN": token])
    }

    private static func configuration(
        port: Int, adminPort: Int, upstream: String, authority: InterceptAuthority?, topLevel: String
    ) -> String {
        """
        listen: 127.0.0.1:\(port)
        admin: 127.0.0.1:\(adminPort)
        \(topLevel)
        \(authority?.interceptBlock ?? "")
        routes:
          - name: api
            hosts: [\(host), \(address)]
            upstream: \(upstream)
            proxy: {type: none}
            auth: {type: static, accessToken: "${env:TEST_ACCESS_TOKEN}"}
          - name: fallback
            upstream: \(upstream)
            proxy: {type: none}
            auth: {type: none}

        """
    }

    /// `http://127.0.0.1:<port>`, as apps name their proxy.
    var proxyURL: String { "http://127.0.0.1:\(process.port)" }

    /// The bearer credential the upstream must see on the `api` route.
    var bearer: String { "Bearer \(token)" }

    /// Everything token-proxy wrote so far, stdout and stderr.
    var output: String {
        process.process.output() + process.process.errorOutput()
    }

    /// Switches to `newAuthority` by rewriting the configuration and sending SIGHUP; returns once it is reloaded.
    func reload(interceptingWith newAuthority: InterceptAuthority) async throws {
        let reloadsBefore = output.components(separatedBy: "configuration reloaded").count
        try Self.configuration(
            port: process.port, adminPort: adminPort, upstream: upstream.baseURL, authority: newAuthority,
            topLevel: topLevel
        ).write(to: process.configurationFile, atomically: true, encoding: .utf8)
        authority = newAuthority
        process.process.send(signal: SIGHUP)
        let reloaded = try await eventually {
            output.components(separatedBy: "configuration reloaded").count > reloadsBefore
                || output.contains("configuration not reloaded")
        }
        guard reloaded, !output.contains("configuration not reloaded") else {
            throw HarnessError.commandFailed(command: "reload with SIGHUP", stderr: output)
        }
    }

    /// A new connection that has sent `CONNECT <authority>`, and token-proxy's answer to it.
    func tunnel(to authority: String, timeout: Duration = .seconds(30)) throws -> (HTTPClient, HTTPResponse) {
        let client = try HTTPClient(port: process.port, timeout: timeout)
        try client.send("CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n\r\n")
        return (client, try client.readResponse(method: "CONNECT"))
    }

    /// The fields of each `tunnel closed` line logged so far: `tunnel`, `reason` and, after a failed
    /// handshake, the client's `alert`.
    func closedTunnels() -> [[String: String]] {
        process.process.output().split(separator: "\n").compactMap(RequestLogEntry.logfmt)
            .filter { $0["msg"] == "tunnel closed" }
    }

    /// Every sample of the admin listener's `/metrics`; see `PrometheusText.samples`.
    func metrics() throws -> [String: Double] {
        let response = try HTTPClient(port: adminPort).exchange(HTTPRequest("GET", "/metrics"))
        return try PrometheusText.samples(in: response.text)
    }

    /// `token_proxy_tls_handshakes_total` for `result` (nil: any), summed over the other labels.
    func handshakes(result: String? = nil) throws -> Double {
        try metrics().filter { $0.key.hasPrefix("token_proxy_tls_handshakes_total{") }
            .filter { result == nil || $0.key.contains("result=\"\(result ?? "")\"") }
            .map(\.value).reduce(0, +)
    }
}
