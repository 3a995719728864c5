// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// Signed client assertions (RFC 7523), mutual TLS (RFC 8705) and workload identity
/// files against Authlib, which verifies each one the way identity providers do.
@Suite("Client authentication: assertions and mutual TLS")
struct ClientAssertionTests {
    /// A configuration of one route whose `auth` adds `authKeys` (indented by 6) to the token URL and client ID;
    /// the signing store password comes from `${env:SIGNING_PASSWORD}`.
    private static func configuration(
        server: AuthorizationServer, tokenURL: String? = nil, listen: Int? = nil,
        upstream: String = "http://127.0.0.1:9", authKeys: String, routeKeys: String = ""
    ) -> String {
        """
        \(listen.map { "listen: 127.0.0.1:\($0)" } ?? "")
        routes:
          - name: api
            hosts: [api.test]
            upstream: \(upstream)
            proxy: {type: none}
            auth:
              type: oauth2ClientCredentials
              accessTokenURL: \(tokenURL ?? server.tokenURL)
              clientID: \(server.clientID)
        \(authKeys)
        \(routeKeys)
        """
    }

    private static func privateKeyJWT(_ store: TestPKI.Store) -> String {
        """
              clientAuthentication: privateKeyJWT
              signingKeyStore: \(store.path.path)
        """ + (store.password == nil ? "" : "\n      signingKeyStorePassword: ${env:SIGNING_PASSWORD}")
    }

    private static let environment = ["SIGNING_PASSWORD": SigningKeys.password]

    static let stores = SigningKeys.Kind.allCases.flatMap { kind in TestPKI.StoreFormat.allCases.map { (kind, $0) } }

    @Test(arguments: stores)
    func privateKeyJWTFromEachStoreIsVerified(kind: SigningKeys.Kind, format: TestPKI.StoreFormat) async throws {
        let keys = try await SigningKeys.shared()
        let server = try await AuthorizationServer(
            clientAuthentication: .privateKeyJWT, clientPublicKey: keys.certificate(kind))
        let result = try await TokenProxyProcess.run(
            ["token"],
            configuration: Self.configuration(server: server, authKeys: Self.privateKeyJWT(keys.store(kind, format))),
            environment: Self.environment)

        #expect(result.exit == .exited(0), "\(result.stderr)")
        #expect(try server.isActive(result.stdout.trimmingCharacters(in: .newlines)))
        let request = try #require(try server.stats().requests.first)
        #expect(request.status == 200)
        #expect(request.field("client_id") == server.clientID)
        #expect(request.field("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        let assertion = try #require(request.assertion)
        #expect(assertion.header["alg"] == (kind == .rsa ? "RS256" : "ES256"))
        #expect(assertion.header["x5t#S256"] != nil && assertion.header["x5t"] != nil)
        #expect(assertion.header["kid"] == assertion.header["x5t#S256"])
        #expect(assertion.claims["iss"] == server.clientID && assertion.claims["sub"] == server.clientID)
        #expect(assertion.claims["aud"] == server.tokenURL)
        #expect(!result.stderr.contains(SigningKeys.password))
    }

    @Test func ps256IsVerified() async throws {
        let keys = try await SigningKeys.shared()
        let server = try await AuthorizationServer(
            clientAuthentication: .privateKeyJWT, clientPublicKey: keys.certificate(.rsa))
        let auth = Self.privateKeyJWT(keys.store(.rsa, .pkcs12)) + "\n      signingAlgorithm: PS256"
        let result = try await TokenProxyProcess.run(
            ["token"], configuration: Self.configuration(server: server, authKeys: auth), environment: Self.environment)

        #expect(result.exit == .exited(0), "\(result.stderr)")
        #expect(try server.stats().requests.first?.assertion?.header["alg"] == "PS256")
    }

    @Test func clientSecretJWTIsVerifiedWithTheSecret() async throws {
        let server = try await AuthorizationServer(clientAuthentication: .clientSecretJWT)
        let auth = """
                  clientAuthentication: clientSecretJWT
                  clientSecret: ${env:TEST_CLIENT_SECRET}
            """
        let result = try await TokenProxyProcess.run(
            ["token"], configuration: Self.configuration(server: server, authKeys: auth),
            environment: ["TEST_CLIENT_SECRET": server.clientSecret])

        #expect(result.exit == .exited(0), "\(result.stderr)")
        let request = try #require(try server.stats().requests.first)
        #expect(request.assertion?.header["alg"] == "HS256")
        #expect(!request.form.flatMap { $0 }.contains(server.clientSecret))
    }

    @Test func replayedAssertionIsRefusedAndTheNextTokenRequestSignsAFreshOne() async throws {
        let keys = try await SigningKeys.shared()
        let server = try await AuthorizationServer(
            clientAuthentication: .privateKeyJWT, clientPublicKey: keys.certificate(.ec))
        let configuration = Self.configuration(server: server, authKeys: Self.privateKeyJWT(keys.store(.ec, .jks)))
        let first = try await TokenProxyProcess.run(
            ["token"], configuration: configuration, environment: Self.environment)
        #expect(first.exit == .exited(0), "\(first.stderr)")

        let sent = try #require(try server.stats().requests.first)
        let replay = try server.tokenRequest(
            form: ["grant_type", "client_id", "client_assertion_type", "client_assertion"].map {
                ($0, sent.field($0) ?? "")
            })
        #expect(replay.status == 400 || replay.status == 401)
        #expect(
            replay.text.contains("invalid_client") && replay.text.contains("JWT ID is used before"), "\(replay.text)")

        let second = try await TokenProxyProcess.run(
            ["token"], configuration: configuration, environment: Self.environment)
        #expect(second.exit == .exited(0), "\(second.stderr)")
        let requests = try server.stats().requests
        #expect(requests.map(\.status) == [200, replay.status, 200])
        #expect(requests[2].assertion?.claims["jti"] != requests[0].assertion?.claims["jti"])
    }

    @Test func wrongKeyIsRefusedWithTheServersErrorInThe502() async throws {
        let keys = try await SigningKeys.shared()
        let server = try await AuthorizationServer(
            clientAuthentication: .privateKeyJWT, clientPublicKey: keys.certificate(.ec))
        let port = try FreePort.allocate()
        let proxy = try await TokenProxyProcess(
            configuration: Self.configuration(
                server: server, listen: port, authKeys: Self.privateKeyJWT(keys.strangerKey)),
            port: port)

        let response = try await ClientApp(proxyPort: port).send("/v1/signed")

        #expect(response.status == 502)
        let body = try ProxyErrorBody(response: response)
        #expect(body.error == "token_unavailable")
        #expect(body.message.contains(server.tokenURL), "\(body.message)")
        #expect(body.message.contains("invalid_client"), "\(body.message)")
        #expect(body.message.contains("assertion signature not verified"), "\(body.message)")
        #expect(try server.stats().requests.allSatisfy { $0.status != 200 })
        _ = proxy
    }

    @Test func assertionFileIsVerifiedAgainstTheIssuerAndRotationIsPickedUp() async throws {
        let keys = try await SigningKeys.shared()
        let server = try await AuthorizationServer(
            expiresIn: 2, clientAuthentication: .federated, assertionIssuerKey: keys.issuerCertificate)
        let upstream = try await EchoUpstream()
        let scratch = try ScratchDirectory(prefix: "assertion-file")
        let file = scratch.file("azure-identity-token")
        let audience = "api://AzureADTokenExchange"
        try Data(try await keys.federatedToken(subject: "system:serviceaccount:app:first", audience: audience).utf8)
            .write(to: file)
        let port = try FreePort.allocate()
        let auth = """
                  clientAuthentication: assertionFile
                  clientAssertionFile: \(file.path)
            """
        let proxy = try await TokenProxyProcess(
            configuration: Self.configuration(server: server, listen: port, upstream: upstream.baseURL, authKeys: auth),
            port: port)
        let app = ClientApp(proxyPort: port)

        #expect(try await app.send("/v1/federated").status == 200)
        #expect(try server.stats().requests.first?.assertion?.claims["sub"] == "system:serviceaccount:app:first")

        // The platform rotates the file; tokens live 2 s, so the next refresh reads the new one.
        let rotated = try await keys.federatedToken(subject: "system:serviceaccount:app:rotated", audience: audience)
        try Data(rotated.utf8).write(to: file, options: .atomic)
        #expect(
            try await eventually {
                try server.stats().requests.contains {
                    $0.status == 200 && $0.assertion?.claims["sub"] == "system:serviceaccount:app:rotated"
                }
            })
        #expect(try await app.send("/v1/federated").status == 200)

        // Signed by someone else: the server refuses it, and the 502 says so.
        try Data(try await keys.federatedToken(subject: "x", audience: "api://elsewhere").utf8).write(
            to: file, options: .atomic)
        let refused = try await eventually {
            let response = try await app.send("/v1/federated")
            guard response.status == 502 else { return false }
            return try ProxyErrorBody(response: response).message.contains("federated assertion refused")
        }
        #expect(refused)
        _ = proxy
    }

    @Test func missingAssertionFileIsAnErrorNamingThePath() async throws {
        let server = try await AuthorizationServer(clientAuthentication: .federated)
        let path = "/nonexistent/token-proxy/assertion"
        let auth = """
                  clientAuthentication: assertionFile
                  clientAssertionFile: \(path)
            """
        let result = try await TokenProxyProcess.run(
            ["token"], configuration: Self.configuration(server: server, authKeys: auth))

        #expect(result.exit == .exited(1))
        #expect(result.stderr.contains("client assertion file \(path): it does not exist"), "\(result.stderr)")
        #expect(try server.stats().tokenRequests == 0)
    }

    @Test func tlsClientAuthPresentsTheKeyStoreToTheTokenEndpoint() async throws {
        let pki = try await TestPKI.shared()
        let server = try await AuthorizationServer(
            clientAuthentication: .tlsClientAuth, tlsClientSubject: TestPKI.clientSubject)
        let terminator = try await TLSTerminator(
            servicePort: server.port, certificates: pki.serverCertificates(requiringClientCertificate: true))
        let keyStore = pki.keyStore(.pkcs12)
        let auth = "      clientAuthentication: tls"
        let tls = """
                tls:
                  trustStore: \(pki.trustStore(.pem).path.path)
                  keyStore: \(keyStore.path.path)
                  keyStorePassword: ${env:STORE_PASSWORD}
            """
        let result = try await TokenProxyProcess.run(
            ["token"],
            configuration: Self.configuration(
                server: server, tokenURL: terminator.baseURL + "/token", authKeys: auth, routeKeys: tls),
            environment: ["STORE_PASSWORD": TestPKI.storePassword])

        #expect(result.exit == .exited(0), "\(result.stderr)")
        #expect(try server.isActive(result.stdout.trimmingCharacters(in: .newlines)))
        let request = try #require(try server.stats().requests.first)
        #expect(request.authMethod == "none")
        #expect(request.form.map { $0[0] } == ["grant_type", "client_id"])
    }

    @Test func checkShowsTheSigningKeyButNoSecret() async throws {
        let keys = try await SigningKeys.shared()
        let server = try await AuthorizationServer(clientAuthentication: .privateKeyJWT)
        let store = keys.store(.rsa, .pkcs12)
        let result = try await TokenProxyProcess.run(
            ["check"], configuration: Self.configuration(server: server, authKeys: Self.privateKeyJWT(store)),
            environment: Self.environment)

        #expect(result.exit == .exited(0), "\(result.stderr)")
        let thumbprint = try await ToolRun.output(
            of: "bash",
            [
                "-c",
                "openssl x509 -in \"$1\" -outform DER | openssl dgst -sha256 -binary | base64 -w0 | tr '+/' '-_' | tr -d '='",
                "thumbprint", keys.certificate(.rsa).path,
            ])
        #expect(result.stdout.contains("client authentication privateKeyJWT"), "\(result.stdout)")
        #expect(
            result.stdout.contains("signing key \(store.path.path) (PKCS12) 'signer': RS256, kid \(thumbprint)"),
            "\(result.stdout)")
        #expect(result.stdout.contains("certificate \(SigningKeys.subject(.rsa))"), "\(result.stdout)")
        #expect(result.stdout.contains("x5t#S256 \(thumbprint)"), "\(result.stdout)")
        #expect(!result.stdout.contains(SigningKeys.password) && !result.stdout.contains("PRIVATE KEY"))
        #expect(try server.stats().tokenRequests == 0)
    }

    @Test func tokenClaimsPrintsTheDecodedJWTButNotTheToken() async throws {
        let keys = try await SigningKeys.shared()
        let jwt = try await keys.federatedToken(subject: "svc", audience: "https://api.example.test")
        let configuration = """
            routes:
              - name: api
                upstream: https://api.example.test
                auth: {type: static, accessToken: \(jwt)}
            """
        let result = try await TokenProxyProcess.run(["token", "--claims"], configuration: configuration)

        #expect(result.exit == .exited(0), "\(result.stderr)")
        #expect(result.stdout.contains(#""aud" : "https://api.example.test""#), "\(result.stdout)")
        #expect(result.stdout.contains(#""sub" : "svc""#))
        #expect(!result.stdout.contains(jwt))

        let opaque = try await TokenProxyProcess.run(
            ["token", "--claims"], configuration: configuration.replacingOccurrences(of: jwt, with: "opaque-token"))
        #expect(opaque.exit == .exited(1))
        #expect(opaque.stderr.contains("not a JWT"), "\(opaque.stderr)")
        #expect(!opaque.stderr.contains("opaque-token"))
    }
}
