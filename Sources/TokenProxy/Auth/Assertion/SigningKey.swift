// SPDX-License-Identifier: Apache-2.0
internal import CCrypto
import Foundation

/// A route's `privateKeyJWT` key, read once from its store (start-up, reload,
/// `check`): the signer, and what the JWS header and `check` say about it.
struct SigningKey: Sendable {
    let signer: JWSSigner
    let path: String
    let format: KeyStoreFormat
    /// The store entry's alias; nil for PEM files and unnamed PKCS12 keys.
    let alias: String?
    /// The JWS `kid`: configured, else the certificate's `x5t#S256`, else a hash of the public key.
    let keyID: String
    /// The key's certificate, when the store holds one.
    let certificate: CertificateSummary?
    /// `x5t#S256` (base64url SHA-256 of the certificate's DER), when there is a certificate.
    let thumbprintSHA256: String?
    /// `x5t` (base64url SHA-1 of the DER), which Entra ID uses to find the certificate.
    let thumbprintSHA1: String?
    let warnings: [String]

    static func load(_ configuration: SigningKeyConfiguration, now: Date = Date()) throws(SigningKeyError) -> SigningKey
    {
        let path = configuration.keyStore
        let pair: KeyPair
        do {
            pair = try KeyPair.open(
                path: path, storePassword: configuration.keyStorePassword, keyPassword: configuration.keyPassword,
                alias: configuration.keyAlias, passwordSetting: "auth.signingKeyStorePassword")
        } catch {
            throw .keyStore(error)
        }
        let supported = JWSSigner.algorithms(for: pair.key)
        guard let preferred = supported.first else { throw .unsupportedKey(path: path, alias: pair.alias) }
        let algorithm = configuration.algorithm ?? preferred
        guard let signer = JWSSigner(key: pair.key, algorithm: algorithm) else {
            throw .algorithmMismatch(path: path, alias: pair.alias, algorithm: algorithm, supported: supported)
        }
        // A lone PEM key has no certificate; a certificate that is not the key's would mislead the server.
        let leaf = pair.chain.first.flatMap { $0.matches(pair.key) ? $0 : nil }
        if leaf == nil, pair.storeHasCertificates {
            throw .keyStore(.keyDoesNotMatchCertificate(path: path, alias: pair.alias))
        }
        let sha256 = leaf.map { Base64URL.encode(LibCrypto.sha256($0.der)) }
        let summary = leaf?.summary(alias: nil)
        guard let keyID = configuration.keyID ?? sha256 ?? publicKeyHash(pair.key) else {
            throw .unsupportedKey(path: path, alias: pair.alias)
        }
        return SigningKey(
            signer: signer, path: path, format: pair.format, alias: pair.alias, keyID: keyID, certificate: summary,
            thumbprintSHA256: sha256, thumbprintSHA1: leaf.map { Base64URL.encode(LibCrypto.sha1([$0.der[...]])) },
            warnings: pair.warnings + (summary?.validityWarning(path: path, now: now).map { [$0] } ?? []))
    }

    /// The JWS header fields that name the key, in the order they are written.
    var headerFields: [(String, String)] {
        var fields = [("kid", keyID)]
        if let thumbprintSHA1 { fields.append(("x5t", thumbprintSHA1)) }
        if let thumbprintSHA256 { fields.append(("x5t#S256", thumbprintSHA256)) }
        return fields
    }

    /// Base64url SHA-256 of the DER `SubjectPublicKeyInfo`.
    private static func publicKeyHash(_ key: PrivateKey) -> String? {
        let der = key.withHandle { handle in LibCrypto.der { i2d_PUBKEY(handle, $0) } }
        return der.map { Base64URL.encode(LibCrypto.sha256($0)) }
    }
}
