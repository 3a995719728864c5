// SPDX-License-Identifier: Apache-2.0

/// The JWS algorithms (RFC 7518 section 3) a client assertion can be signed with.
public enum JWSAlgorithm: String, Sendable, Equatable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256; the default for RSA keys.
    case rs256 = "RS256"
    /// RSASSA-PSS with SHA-256 and a 32-byte salt.
    case ps256 = "PS256"
    /// ECDSA on P-256 with SHA-256; the default for P-256 keys.
    case es256 = "ES256"
    /// ECDSA on P-384 with SHA-384.
    case es384 = "ES384"
    /// HMAC with SHA-256: `clientSecretJWT`, keyed with the client secret.
    case hs256 = "HS256"

    /// The kind of key the algorithm needs, in the words `check` and errors use.
    var keyKind: String {
        switch self {
        case .rs256, .ps256: "RSA"
        case .es256: "EC P-256"
        case .es384: "EC P-384"
        case .hs256: "shared secret"
        }
    }

    /// For ECDSA, the byte length of each of `r` and `s` in the JWS signature.
    var coordinateLength: Int? {
        switch self {
        case .es256: 32
        case .es384: 48
        case .rs256, .ps256, .hs256: nil
        }
    }
}
