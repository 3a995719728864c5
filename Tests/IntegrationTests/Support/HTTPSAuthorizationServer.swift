// SPDX-License-Identifier: Apache-2.0

/// The Authlib authorization server behind nginx over TLS, with a certificate from the test's private CA.
///
/// Both stop when released.
final class HTTPSAuthorizationServer {
    let server: AuthorizationServer
    let terminator: TLSTerminator

    /// `https://127.0.0.1:<port>/token`.
    var tokenURL: String { terminator.baseURL + "/token" }

    /// The route's `auth` for this server.
    var authentication: TLSRouteConfiguration.Authentication {
        .clientCredentials(tokenURL: tokenURL, clientID: server.clientID, clientSecret: server.clientSecret)
    }

    /// - Parameter requiringClientCertificate: nginx accepts only clients with a certificate from the test CA.
    init(pki: TestPKI, requiringClientCertificate: Bool = false) async throws {
        server = try await AuthorizationServer()
        terminator = try await TLSTerminator(
            servicePort: server.port,
            certificates: pki.serverCertificates(requiringClientCertificate: requiringClientCertificate))
    }
}
