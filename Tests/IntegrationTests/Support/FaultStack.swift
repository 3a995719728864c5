// SPDX-License-Identifier: Apache-2.0

/// token-proxy with one client-credentials route, host `faults.test`, whose upstream and token endpoint are
/// both a `FaultServer`. The route's `connectionTimeout` is short, so a hanging peer costs a test seconds.
final class FaultStack {
    static let host = "faults.test"
    /// The route's `connectionTimeout`, in seconds: a bound on every wait for the fault server.
    static let connectionTimeout = 2

    let server: FaultServer
    let proxy: TokenProxyProcess

    init(tokenMode: FaultServer.TokenMode = .ok) async throws {
        server = try await FaultServer(tokenMode: tokenMode)
        let port = try FreePort.allocate()
        let configuration = """
            listen: 127.0.0.1:\(port)
            routes:
              - name: faults
                hosts: [\(Self.host)]
                upstream: \(server.baseURL)
                connectionTimeout: \(Self.connectionTimeout)
                proxy: {type: none}
                auth:
                  type: oauth2ClientCredentials
                  accessTokenURL: \(server.tokenURL)
                  clientID: fault-test
                  clientSecret: not-checked
            """
        proxy = try await TokenProxyProcess(configuration: configuration, port: port)
    }

    /// A new client connection whose reads give up after `timeout`, so a wedged proxy fails the test quickly.
    func client(timeout: Duration = .seconds(10)) throws -> HTTPClient {
        try HTTPClient(port: proxy.port, timeout: timeout)
    }

    /// Sends `GET http://faults.test<path>` on a new connection and returns the response.
    func send(_ path: String) throws -> HTTPResponse {
        try client().exchange(HTTPRequest("GET", "http://\(Self.host)\(path)"))
    }
}
