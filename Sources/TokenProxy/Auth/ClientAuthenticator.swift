// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How a route proves to its token endpoint which client it is
/// (`auth.clientAuthentication`), with what that needs already loaded: it adds
/// its form fields and headers to each token request.
struct ClientAuthenticator: Sendable {
    enum Proof: Sendable {
        /// `body` (form fields) or `header` (HTTP Basic).
        case secret(Secret, inHeader: Bool)
        /// `clientSecretJWT`: an assertion signed HS256 with the secret.
        case secretAssertion(Secret)
        /// `privateKeyJWT`: an assertion signed with the route's signing key.
        case keyAssertion(SigningKey)
        /// `assertionFile`: the JWT the platform keeps in this file.
        case assertionFile(path: String)
        /// `tls`: the client certificate the token request presents; only `client_id` goes in the form.
        case certificate
    }

    let clientID: String
    /// `aud` of signed assertions.
    let audience: String
    let proof: Proof

    /// What each method needs is there: the parser requires it, and `RouteFactory` loads the signing key.
    ///
    /// - Parameter signingKey: the loaded `auth.signingKeyStore`; required for `privateKeyJWT`.
    init(credentials: ClientCredentials, signingKey: SigningKey?) {
        clientID = credentials.clientID
        audience = credentials.assertionAudience ?? credentials.accessTokenURL
        let method = credentials.clientAuthentication
        func required<Value>(_ value: Value?, _ setting: String) -> Value {
            guard let value else { preconditionFailure("clientAuthentication \(method.rawValue) without \(setting)") }
            return value
        }
        switch method {
        case .body: proof = .secret(required(credentials.clientSecret, "clientSecret"), inHeader: false)
        case .header: proof = .secret(required(credentials.clientSecret, "clientSecret"), inHeader: true)
        case .clientSecretJWT: proof = .secretAssertion(required(credentials.clientSecret, "clientSecret"))
        case .privateKeyJWT: proof = .keyAssertion(required(signingKey, "a loaded signing key"))
        case .assertionFile: proof = .assertionFile(path: required(credentials.clientAssertionFile, "the file"))
        case .tls: proof = .certificate
        }
    }

    /// Adds the client's credentials for one token request made at `now`.
    func authenticate(
        fields: inout [(String, String)], headers: inout HTTPHeaders, now: Date
    ) throws(TokenError) {
        switch proof {
        case .secret(let secret, inHeader: false):
            fields += [("client_id", clientID), ("client_secret", secret.revealed)]
        case .secret(let secret, inHeader: true):
            // RFC 6749 2.3.1: each part is form-encoded before the Basic encoding. A space becomes
            // %20, not "+": servers that percent-decode without form rules (Authlib) then agree.
            let pair =
                TokenRequest.formEncode(clientID, space: "%20") + ":"
                + TokenRequest.formEncode(secret.revealed, space: "%20")
            headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        case .secretAssertion(let secret):
            guard let signer = JWSSigner(hmacSecret: secret) else {
                throw .assertionUnavailable(reason: "libcrypto refused the client secret as an HMAC key")
            }
            try addAssertion(sign(with: signer, keyFields: [], now: now), to: &fields)
        case .keyAssertion(let key):
            try addAssertion(sign(with: key.signer, keyFields: key.headerFields, now: now), to: &fields)
        case .assertionFile(let path):
            try addAssertion(AssertionFile.read(path: path, now: now), to: &fields)
        case .certificate:
            fields.append(("client_id", clientID))
        }
    }

    private func sign(with signer: JWSSigner, keyFields: [(String, String)], now: Date) throws(TokenError) -> String {
        guard
            let assertion = ClientAssertion.make(
                signer: signer, keyFields: keyFields, clientID: clientID, audience: audience, now: now)
        else {
            throw .assertionUnavailable(reason: "signing the client assertion with \(signer.algorithm.rawValue) failed")
        }
        return assertion
    }

    private func addAssertion(_ assertion: String, to fields: inout [(String, String)]) {
        fields += [
            ("client_id", clientID), ("client_assertion_type", ClientAssertion.type), ("client_assertion", assertion),
        ]
    }
}
