// SPDX-License-Identifier: Apache-2.0
import Foundation

/// token-proxy in front of real peers, as most wire tests need: an Authlib
/// token endpoint, nginx with the echo service as the upstream, and one
/// client-credentials route for host `api.test` that reaches both directly.
///
/// The client secret reaches token-proxy through `${env:}`, so it is in
/// neither the config file nor the command line. Everything stops when released.
final class ProxyStack {
    static let host = "api.test"

    let authorizationServer: AuthorizationServer
    let upstream: EchoUpstream
    let proxy: TokenProxyProcess

    /// - Parameters:
    ///   - auth: extra `auth` keys, YAML lines indented by 6 spaces.
    ///   - route: extra route keys, YAML lines indented by 4 spaces.
    ///   - adminPort: the port of an admin listener, when the test needs one.
    ///   - prepare: runs once the peers are up and before token-proxy starts (it fetches a token at start-up).
    init(
        clientAuthentication: String = "body", expiresIn: Int = 3600, auth: String = "", route: String = "",
        adminPort: Int? = nil, prepare: (AuthorizationServer) throws -> Void = { _ in }
    ) async throws {
        authorizationServer = try await AuthorizationServer(expiresIn: expiresIn)
        upstream = try await EchoUpstream()
        try prepare(authorizationServer)
        let port = try FreePort.allocate()
        let configuration = """
            listen: 127.0.0.1:\(port)
            \(adminPort.map { "admin: 127.0.0.1:\($0)" } ?? "")
            routes:
              - name: api
                hosts: [\(Self.host)]
                upstream: \(upstream.baseURL)
                proxy:
                  type: none
                auth:
                  type: oauth2ClientCredentials
                  accessTokenURL: \(authorizationServer.tokenURL)
                  clientID: \(authorizationServer.clientID)
                  clientSecret: ${env:TEST_CLIENT_SECRET}
                  clientAuthentication: \(clientAuthentication)
            \(auth)
            \(route)
            """
        proxy = try await TokenProxyProcess(
            configuration: configuration, port: port, adminPort: adminPort,
            environment: ["TEST_CLIENT_SECRET": authorizationServer.clientSecret])
    }

    /// A new client connection to token-proxy.
    func client() throws -> HTTPClient {
        try HTTPClient(port: proxy.port)
    }

    /// Sends one request on a new connection, as an app using token-proxy as its HTTP proxy would.
    func send(_ path: String, method: String = "GET", headers: [HTTPField] = [], body: HTTPRequest.Body = .none)
        throws -> HTTPResponse
    {
        try client().exchange(HTTPRequest(method, "http://\(Self.host)\(path)", headers: headers, body: body))
    }

    /// Everything token-proxy wrote so far, stdout and stderr.
    var proxyOutput: String {
        proxy.process.output() + proxy.process.errorOutput()
    }

    /// Every secret of this stack: the client secret and the tokens issued so far.
    func secrets() throws -> [String] {
        [authorizationServer.clientSecret] + (try authorizationServer.stats().issuedTokens.map(\.accessToken))
    }

    /// Sends `count` requests at once, each on its own connection and thread, and returns their statuses.
    func statusesOfConcurrentRequests(_ count: Int, path: @escaping @Sendable (Int) -> String) async throws -> [Int] {
        let port = proxy.port
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await DedicatedThread.run {
                        try HTTPClient(port: port).exchange(HTTPRequest("GET", "http://\(Self.host)\(path(index))"))
                            .status
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
