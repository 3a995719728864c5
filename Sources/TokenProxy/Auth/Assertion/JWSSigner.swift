// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// Makes JWS signatures (RFC 7515) with libcrypto's `EVP_DigestSign`: RSA and
/// ECDSA with a key from a key store, HMAC with a client secret.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never changed after it is built,
/// and libcrypto allows one key to sign on several threads.
final class JWSSigner: @unchecked Sendable {
    let algorithm: JWSAlgorithm
    private let key: PrivateKey

    /// Nil when `algorithm` does not fit `key` (`SigningKeyError.algorithmMismatch` says why).
    init?(key: PrivateKey, algorithm: JWSAlgorithm) {
        guard Self.algorithms(for: key).contains(algorithm) else { return nil }
        self.key = key
        self.algorithm = algorithm
    }

    /// An HS256 signer keyed with `secret` (`clientSecretJWT`).
    init?(hmacSecret secret: Secret) {
        var bytes = Array(secret.revealed.utf8)
        defer { bytes.wipe() }
        guard let key = PrivateKey(hmacSecret: bytes) else { return nil }
        self.key = key
        algorithm = .hs256
    }

    /// The algorithms `key` can sign with, the default first: RS256 and PS256
    /// for RSA, ES256 for P-256, ES384 for P-384; none for other keys.
    static func algorithms(for key: PrivateKey) -> [JWSAlgorithm] {
        key.withHandle { handle in
            switch EVP_PKEY_get_base_id(handle) {
            case EVP_PKEY_RSA: return [.rs256, .ps256]
            case EVP_PKEY_EC:
                var name = [CChar](repeating: 0, count: 64)
                var length = 0
                guard EVP_PKEY_get_group_name(handle, &name, name.count, &length) == 1 else { return [] }
                switch LibCrypto.text(name) {
                case "prime256v1", "P-256": return [.es256]
                case "secp384r1", "P-384": return [.es384]
                default: return []
                }
            default: return []
            }
        }
    }

    /// The JWS signature of `input` (the ASCII `header.payload`): for ECDSA
    /// the fixed-width `r || s`. Nil when libcrypto fails, which a key it
    /// accepted at start-up does not do.
    func sign(_ input: [UInt8]) -> [UInt8]? {
        // EVP_PKEY_get_size bounds RSA and DER ECDSA signatures; an HMAC key reports 0, and its MAC is 32 bytes.
        let capacity = key.withHandle { max(Int(EVP_PKEY_get_size($0)), 64) }
        var signature = [UInt8](repeating: 0, count: capacity)
        var length = capacity
        let signed = key.withHandle { handle in
            input.withUnsafeBufferPointer { data in
                tp_crypto_digest_sign(
                    handle, algorithm.digest, algorithm == .ps256 ? 1 : 0, data.baseAddress, data.count, &signature,
                    &length)
            }
        }
        _ = LibCrypto.takeFailure()
        guard signed == 1 else { return nil }
        let der = Array(signature.prefix(length))
        guard let coordinateLength = algorithm.coordinateLength else { return der }
        return ECDSASignature.jose(fromDER: der, coordinateLength: coordinateLength)
    }
}

extension JWSAlgorithm {
    /// libcrypto's message digest for the algorithm.
    fileprivate var digest: OpaquePointer? {
        switch self {
        case .rs256, .ps256, .es256, .hs256: EVP_sha256()
        case .es384: EVP_sha384()
        }
    }
}
