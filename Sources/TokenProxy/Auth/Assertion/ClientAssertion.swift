// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A JWT client assertion (RFC 7523 section 2.2, OpenID Connect Core 9):
/// `iss` = `sub` = the client ID, `aud` the token endpoint, a unique `jti`,
/// and a short life. A fresh one goes with every token request.
enum ClientAssertion {
    /// `client_assertion_type` for a JWT.
    static let type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// How long an assertion is valid: long enough for a slow round trip, short enough to be worthless if caught.
    static let lifetime: TimeInterval = 300

    /// The signed compact JWS; nil when signing fails.
    ///
    /// - Parameter keyFields: header fields that name the key (`kid`, `x5t`, `x5t#S256`).
    static func make(
        signer: JWSSigner, keyFields: [(String, String)], clientID: String, audience: String, now: Date,
        jti: String = UUID().uuidString
    ) -> String? {
        var header: [String: Any] = ["alg": signer.algorithm.rawValue, "typ": "JWT"]
        for (name, value) in keyFields { header[name] = value }
        let issuedAt = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = [
            "iss": clientID, "sub": clientID, "aud": audience, "jti": jti,
            "iat": issuedAt, "nbf": issuedAt, "exp": issuedAt + Int(lifetime),
        ]
        guard let headerJSON = json(header), let claimsJSON = json(claims) else { return nil }
        let input = Base64URL.encode(headerJSON) + "." + Base64URL.encode(claimsJSON)
        guard let signature = signer.sign(Array(input.utf8)) else { return nil }
        return input + "." + Base64URL.encode(signature)
    }

    private static func json(_ object: [String: Any]) -> [UInt8]? {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map(Array.init)
    }
}
