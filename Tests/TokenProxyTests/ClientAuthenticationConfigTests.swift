// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

/// `auth.clientAuthentication` beyond `body` and `header`, and the keys each method reads.
@Suite struct ClientAuthenticationConfigTests {
    private func route(_ auth: String, tls: String = "") -> String {
        """
        routes:
          - name: api
            upstream: https://api.example.com
            auth:
              type: oauth2ClientCredentials
              accessTokenURL: https://login.example.com/token
              clientID: app
        \(auth.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        \(tls)
        """
    }

    private func credentials(_ yaml: String) throws -> ClientCredentials {
        guard case .clientCredentials(let credentials) = try loadConfig(yaml).routes[0].auth else {
            throw ConfigError.invalidValue(file: "", key: "auth", problem: "not client credentials")
        }
        return credentials
    }

    @Test func privateKeyJWTReadsTheSigningKeyKeys() throws {
        let credentials = try credentials(
            route(
                """
                clientAuthentication: privateKeyJWT
                signingKeyStore: keys/app.p12
                signingKeyStorePassword: pw
                signingKeyAlias: app
                signingKeyPassword: kpw
                signingAlgorithm: PS256
                signingKeyID: key-2026
                assertionAudience: https://login.example.com
                """))
        #expect(credentials.clientAuthentication == .privateKeyJWT)
        #expect(credentials.clientSecret == nil)
        #expect(credentials.assertionAudience == "https://login.example.com")
        #expect(
            credentials.signingKey
                == SigningKeyConfiguration(
                    keyStore: "/etc/token-proxy/keys/app.p12", keyStorePassword: Secret("pw"), keyAlias: "app",
                    keyPassword: Secret("kpw"), algorithm: .ps256, keyID: "key-2026"))
    }

    @Test func clientSecretJWTNeedsTheSecret() throws {
        let credentials = try credentials(route("clientAuthentication: clientSecretJWT\nclientSecret: s"))
        #expect(credentials.clientAuthentication == .clientSecretJWT)
        #expect(credentials.clientSecret == Secret("s"))
        #expect(
            configFailure(route("clientAuthentication: clientSecretJWT")).contains(
                "routes[0].auth.clientSecret is required"))
    }

    @Test func assertionFileReadsThePath() throws {
        let credentials = try credentials(
            route("clientAuthentication: assertionFile\nclientAssertionFile: /var/run/secrets/token"))
        #expect(credentials.clientAssertionFile == "/var/run/secrets/token")
        #expect(credentials.clientSecret == nil)
    }

    @Test func tlsNeedsTheRoutesKeyStore() throws {
        let message = configFailure(route("clientAuthentication: tls"))
        #expect(message.contains("routes[0].tls.keyStore"), "\(message)")
        #expect(message.contains("clientAuthentication tls presents the route's client certificate"), "\(message)")
        let credentials = try credentials(
            route("clientAuthentication: tls", tls: "    tls: {keyStore: client.p12, keyStorePassword: x}"))
        #expect(credentials.clientAuthentication == .tls)
        let plain = configFailure(
            route("clientAuthentication: tls", tls: "    tls: {keyStore: client.p12}").replacingOccurrences(
                of: "https://login", with: "http://login"))
        #expect(plain.contains("needs an https:// accessTokenURL"), "\(plain)")
    }

    @Test(arguments: [
        ("clientAuthentication: privateKeyJWT", "routes[0].auth.signingKeyStore is required"),
        ("clientAuthentication: assertionFile", "routes[0].auth.clientAssertionFile is required"),
        (
            "clientAuthentication: privateKeyJWT\nsigningKeyStore: k.pem\nsigningAlgorithm: HS256",
            "routes[0].auth.signingAlgorithm is not valid: expected one of RS256, PS256, ES256, ES384"
        ),
        (
            "clientAuthentication: privateKeyJWT\nsigningKeyStore: k.pem\nclientSecret: s3cr3t-value",
            "routes[0].auth.clientSecret is not allowed here: it applies only with clientAuthentication body or header or clientSecretJWT, and this route's is privateKeyJWT"
        ),
        (
            "clientSecret: s3cr3t-value\nsigningKeyStore: k.pem",
            "routes[0].auth.signingKeyStore is not allowed here: it applies only with clientAuthentication privateKeyJWT"
        ),
    ])
    func mistakesNameTheKey(auth: String, expected: String) {
        let message = configFailure(route(auth))
        #expect(message.contains(expected), "\(message)")
        #expect(!message.contains("s3cr3t-value"))
    }
}
