// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// The form fields each `clientAuthentication` adds to a token request, and the assertions it signs.
@Suite struct ClientAuthenticatorTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)
    private let url = "https://login.example.com/tenant/oauth2/v2.0/token"

    private func credentials(
        _ method: ClientCredentials.ClientAuthentication, secret: String? = nil, audience: String? = nil,
        file: String? = nil
    ) -> ClientCredentials {
        ClientCredentials(
            accessTokenURL: url, clientID: "app-1", clientSecret: secret.map(Secret.init), clientAuthentication: method,
            assertionAudience: audience, clientAssertionFile: file)
    }

    private func fields(
        _ credentials: ClientCredentials, signingKey: SigningKey? = nil
    ) throws -> [String: String] {
        var fields: [(String, String)] = []
        var headers = HTTPHeaders([])
        try ClientAuthenticator(credentials: credentials, signingKey: signingKey)
            .authenticate(fields: &fields, headers: &headers, now: now)
        #expect(headers.first(name: "Authorization") == nil)
        return Dictionary(fields) { first, _ in first }
    }

    /// The header and claims of a compact JWS, and whether its signature is right for `verify`.
    private func parts(_ jws: String) throws -> (
        header: [String: Any], claims: JWTClaims, input: String, signature: [UInt8]
    ) {
        let pieces = jws.split(separator: ".")
        try #require(pieces.count == 3)
        let headerJSON = try #require(Base64URL.decode(pieces[0]))
        let header = try #require(try JSONSerialization.jsonObject(with: Data(headerJSON)) as? [String: Any])
        return (
            header, try JWTClaims(compact: jws), "\(pieces[0]).\(pieces[1])", try #require(Base64URL.decode(pieces[2]))
        )
    }

    @Test func clientSecretJWTSignsHS256WithTheSecret() throws {
        let sent = try fields(credentials(.clientSecretJWT, secret: "s3cret"))
        #expect(sent["client_id"] == "app-1")
        #expect(sent["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        #expect(sent["client_secret"] == nil)
        let jws = try parts(try #require(sent["client_assertion"]))
        #expect(jws.header["alg"] as? String == "HS256")
        #expect(jws.header["typ"] as? String == "JWT")
        let mac = try #require(JWSSigner(hmacSecret: Secret("s3cret"))?.sign(Array(jws.input.utf8)))
        #expect(mac == jws.signature)
        #expect(!sent.values.contains { $0.contains("s3cret") })
    }

    @Test func privateKeyJWTClaimsFollowRFC7523() throws {
        let key = try PrivateKey.decodePEM(Array(JWSSigningTests.rfcECKey.utf8), password: "").get()
        let signingKey = SigningKey(
            signer: try #require(JWSSigner(key: key, algorithm: .es256)), path: "key.pem", format: .pem, alias: nil,
            keyID: "kid-1", certificate: nil, thumbprintSHA256: "S256", thumbprintSHA1: "S1", warnings: [])
        let first = try fields(credentials(.privateKeyJWT), signingKey: signingKey)
        let second = try fields(credentials(.privateKeyJWT), signingKey: signingKey)
        let jws = try parts(try #require(first["client_assertion"]))
        #expect(jws.header["alg"] as? String == "ES256")
        #expect(jws.header["kid"] as? String == "kid-1")
        #expect(jws.header["x5t"] as? String == "S1")
        #expect(jws.header["x5t#S256"] as? String == "S256")
        let claims = jws.claims.object
        #expect(claims["iss"] as? String == "app-1")
        #expect(claims["sub"] as? String == "app-1")
        #expect(claims["aud"] as? String == url)
        #expect(claims["iat"] as? Int == 1_800_000_000)
        let lifetime = try #require(jws.claims.expiry).timeIntervalSince(now)
        #expect(lifetime > 0 && lifetime <= 300)
        #expect(JWSSigningTests.verify(jws.signature, of: Array(jws.input.utf8), key: key, algorithm: .es256))
        // A fresh assertion, with its own jti, for every token request.
        let again = try parts(try #require(second["client_assertion"]))
        #expect((claims["jti"] as? String)?.isEmpty == false)
        #expect(claims["jti"] as? String != again.claims.object["jti"] as? String)
    }

    @Test func assertionAudienceReplacesTheTokenURL() throws {
        let sent = try fields(credentials(.clientSecretJWT, secret: "x", audience: "https://issuer.example.com"))
        let claims = try JWTClaims(compact: try #require(sent["client_assertion"]))
        #expect(claims.object["aud"] as? String == "https://issuer.example.com")
    }

    @Test func tlsSendsOnlyTheClientID() throws {
        #expect(try fields(credentials(.tls)) == ["client_id": "app-1"])
    }

    @Test func assertionFileIsReadForEveryRequest() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("assertion-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let method = credentials(.assertionFile, file: path)
        for subject in ["first", "rotated"] {
            let jwt = Self.unsignedJWT(["sub": subject, "exp": 1_800_000_600])
            try Data((jwt + "\n").utf8).write(to: URL(fileURLWithPath: path))
            let sent = try fields(method)
            #expect(sent["client_assertion"] == jwt)
            #expect(sent["client_assertion_type"] == ClientAssertion.type)
            #expect(sent["client_id"] == "app-1")
        }
    }

    @Test func missingExpiredOrMalformedAssertionFilesNameThePath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("assertion-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let method = credentials(.assertionFile, file: path)
        let cases: [(String?, String)] = [
            (nil, "it does not exist"),
            ("", "is empty"),
            ("not-a-jwt", "not a JWT"),
            (Self.unsignedJWT(["exp": 1_799_999_000]), "expired at 2027-01-15T07:43:20Z"),
        ]
        for (content, reason) in cases {
            if let content { try Data(content.utf8).write(to: URL(fileURLWithPath: path)) }
            do {
                _ = try fields(method)
                Issue.record("no error for \(reason)")
            } catch let error as TokenError {
                #expect(error.description.contains(path), "\(error)")
                #expect(error.description.contains(reason), "\(error)")
            }
        }
    }

    @Test func claimsOfAJWTAreReadWithoutTheSignature() throws {
        let claims = try JWTClaims(compact: Self.unsignedJWT(["scp": "read", "aud": "api://x", "exp": 5]))
        #expect(claims.expiry == Date(timeIntervalSince1970: 5))
        #expect(claims.prettyJSON.contains(#""aud" : "api://x""#))
        #expect(throws: JWTClaims.Failure.notCompact) { try JWTClaims(compact: "opaque-token") }
        #expect(throws: JWTClaims.Failure.notJSONObject) { try JWTClaims(compact: "a.WzFd.c") }
    }

    /// A JWT with `claims` and a placeholder signature, as the tests need only its payload.
    static func unsignedJWT(_ claims: [String: Any]) -> String {
        let payload = try! JSONSerialization.data(withJSONObject: claims)
        return "eyJhbGciOiJSUzI1NiJ9." + Base64URL.encode(payload) + ".c2ln"
    }
}
