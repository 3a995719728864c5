// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The peers of one TLS test, started in order and stopped when released: the echo
/// upstream behind nginx over TLS, the authorization server over HTTPS (or a static
/// token), and token-proxy with one route whose `tls` names the given stores.
///
/// Both nginx instances present certificates from the test's private CA and,
/// with `requiringClientCertificate`, accept only clients that CA certified.
final class TLSDeployment {
    /// How the route authenticates upstream.
    enum TokenSource {
        /// `auth.type: static`, so that only the upstream exchange can fail.
        case staticToken
        /// The authorization server over HTTPS, reached with the route's stores.
        case authorizationServerOverHTTPS
    }

    static let staticToken = "static-test-token"

    let pki: TestPKI
    let upstream: EchoUpstream
    /// Nil with `.staticToken`.
    let authorizationServer: HTTPSAuthorizationServer?
    let proxy: TokenProxyProcess

    init(
        trustStore: TestPKI.Store?,
        keyStore: TestPKI.Store? = nil,
        requiringClientCertificate: Bool = false,
        tokenSource: TokenSource
    ) async throws {
        pki = try await TestPKI.shared()
        upstream = try await EchoUpstream(
            tls: pki.serverCertificates(requiringClientCertificate: requiringClientCertificate))
        let authentication: TLSRouteConfiguration.Authentication
        switch tokenSource {
        case .staticToken:
            authorizationServer = nil
            authentication = .staticToken(Self.staticToken)
        case .authorizationServerOverHTTPS:
            let server = try await HTTPSAuthorizationServer(
                pki: pki, requiringClientCertificate: requiringClientCertificate)
            authorizationServer = server
            authentication = server.authentication
        }
        let port = try FreePort.allocate()
        let configuration = TLSRouteConfiguration(
            listenPort: port, upstream: try #require(upstream.tlsBaseURL),
            authentication: authentication, trustStore: trustStore, keyStore: keyStore)
        proxy = try await TokenProxyProcess(configuration: configuration.rendered(), port: port)
    }

    /// Sends `GET path` to token-proxy in origin form, as an app using it as its base URL.
    func get(_ path: String) async throws -> HTTPResponse {
        let port = proxy.port
        return try await DedicatedThread.run {
            try HTTPClient(port: port, timeout: .seconds(30)).exchange(HTTPRequest("GET", path))
        }
    }

    /// The tokens the authorization server issued; the static token without one.
    func issuedTokens() throws -> [String] {
        guard let authorizationServer else { return [Self.staticToken] }
        return try authorizationServer.server.stats().issuedTokens.map(\.accessToken)
    }

    /// The first line of token-proxy's stdout that satisfies `matches`, waiting up to `timeout` for it;
    /// empty when none came (the request is logged after the response has gone to the client, and under
    /// ThreadSanitizer that has taken seconds).
    func proxyLogLine(timeout: Duration = .seconds(30), where matches: (Substring) -> Bool) async throws -> String {
        var line: Substring?
        _ = try await eventually(timeout: timeout) {
            line = proxy.process.output().split(separator: "\n").first(where: matches)
            return line != nil
        }
        return line.map(String.init) ?? ""
    }

    /// Which secrets token-proxy wrote to stdout or stderr: the test PKI's passwords and keys,
    /// the client secret and the tokens it was given; labels only.
    func leakedSecrets() throws -> [String] {
        var others: [String: String] = [:]
        for (index, token) in try issuedTokens().enumerated() {
            others["token \(index)"] = token
        }
        others["client secret"] = authorizationServer?.server.clientSecret
        return try pki.leakedSecrets(in: proxyOutput, others: others)
    }

    /// Everything token-proxy wrote so far, stdout then stderr.
    var proxyOutput: String {
        proxy.process.output() + proxy.process.errorOutput()
    }
}
