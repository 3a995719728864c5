// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A real OAuth 2.0 authorization server (Authlib on Flask, `Tests/Fixtures/oauth_server.py`) on a free loopback port.
///
/// It knows one confidential client and issues client-credentials tokens.
/// Tests read what it received with `stats()` and steer it with `failNext`
/// and `delay`. It stops when released.
final class AuthorizationServer {
    /// How the token endpoint lets the client authenticate.
    enum ClientAuthentication: String, Sendable {
        case basic, post, both
        /// RFC 7523 assertions verified with `clientPublicKey`.
        case privateKeyJWT = "private_key_jwt"
        /// RFC 7523 assertions verified HS256 with the client secret.
        case clientSecretJWT = "client_secret_jwt"
        /// RFC 8705: the client certificate nginx in front verified, with `tlsClientSubject`.
        case tlsClientAuth = "tls_client_auth"
        /// A workload identity JWT verified with `assertionIssuerKey`, audience `api://AzureADTokenExchange`.
        case federated
    }

    let port: Int
    let clientID: String
    let clientSecret: String
    let process: ManagedProcess
    private let scratch: ScratchDirectory

    /// The token endpoint's URL.
    var tokenURL: String { "http://127.0.0.1:\(port)/token" }

    /// Starts the server and returns once it listens.
    ///
    /// - Parameters:
    ///   - expiresIn: the `expires_in` of every token, in seconds.
    ///   - scopes: the scopes a client may ask for; empty allows any.
    ///   - clientPublicKey: a PEM certificate or key that verifies `privateKeyJWT` assertions.
    ///   - assertionIssuerKey: a PEM certificate or key that verifies `federated` assertions.
    ///   - tlsClientSubject: the certificate subject `tlsClientAuth` accepts.
    init(
        clientID: String = "token-proxy-test",
        clientSecret: String = "s3cret:+/% x",
        expiresIn: Int = 3600,
        scopes: [String] = [],
        clientAuthentication: ClientAuthentication = .both,
        clientPublicKey: URL? = nil,
        assertionIssuerKey: URL? = nil,
        tlsClientSubject: String? = nil
    ) async throws {
        self.clientID = clientID
        self.clientSecret = clientSecret
        port = try FreePort.allocate()
        scratch = try ScratchDirectory(prefix: "oauth-server")
        var options: [String] = []
        if let clientPublicKey { options += ["--client-public-key", clientPublicKey.path] }
        if let assertionIssuerKey { options += ["--assertion-issuer-key", assertionIssuerKey.path] }
        if let tlsClientSubject { options += ["--tls-client-subject", tlsClientSubject] }
        process = try ManagedProcess.pythonFixture(
            "oauth_server.py",
            arguments: [
                "--port", String(port),
                "--client-id", clientID,
                "--client-secret", clientSecret,
                "--expires-in", String(expiresIn),
                "--scope", scopes.joined(separator: " "),
                "--token-endpoint-auth-method", clientAuthentication.rawValue,
            ] + options,
            scratch: scratch
        )
        try await process.waitForPort(port)
    }

    /// Every token request so far and the tokens issued.
    func stats() throws -> TokenEndpointStats {
        try TokenEndpointStats.decode(control(HTTPRequest("GET", "/stats")).body)
    }

    /// Whether `token` was issued here and has not expired.
    func isActive(_ token: String) throws -> Bool {
        let query = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
        let response = try control(HTTPRequest("GET", "/introspect?token=\(query)"))
        let answer = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return answer?["active"] as? Bool ?? false
    }

    /// The next `count` token requests (every one for -1) answer `status` with an OAuth error body,
    /// and with `Retry-After: retryAfter` when it is given.
    func failNext(status: Int, count: Int = 1, retryAfter: String? = nil) throws {
        let header = retryAfter.map { #", "retry_after": "\#($0)""# } ?? ""
        try control(post: "/control/fail", json: #"{"status": \#(status), "count": \#(count)\#(header)}"#)
    }

    /// Posts `form` to the token endpoint as a client would, e.g. to replay an assertion.
    func tokenRequest(form: [(String, String)]) throws -> HTTPResponse {
        let body = form.map { name, value in
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
        let headers = [HTTPField("Content-Type", "application/x-www-form-urlencoded")]
        return try HTTPClient(port: port, timeout: .seconds(10)).exchange(
            HTTPRequest("POST", "/token", headers: headers, body: .bytes(Array(body.utf8))))
    }

    /// Every token response from now on waits `seconds` first.
    func delay(seconds: Double) throws {
        try control(post: "/control/delay", json: #"{"seconds": \#(seconds)}"#)
    }

    /// Forgets recorded requests and issued tokens, failures and delay.
    func reset() throws {
        try control(post: "/control/reset", json: "{}")
    }

    private func control(post path: String, json: String) throws {
        let headers = [HTTPField("Content-Type", "application/json")]
        try control(HTTPRequest("POST", path, headers: headers, body: .bytes(Array(json.utf8))))
    }

    @discardableResult
    private func control(_ request: HTTPRequest) throws -> HTTPResponse {
        let response = try HTTPClient(port: port, timeout: .seconds(10)).exchange(request)
        guard (200..<300).contains(response.status) else {
            throw HarnessError.controlFailed(
                peer: process.name, path: request.target, status: response.status,
                body: response.text)
        }
        return response
    }
}
