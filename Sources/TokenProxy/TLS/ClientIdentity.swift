// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Client certificate chain (leaf first) and private key for two-way TLS, as
/// PEM for `CURLOPT_SSLCERT_BLOB` and `CURLOPT_SSLKEY_BLOB`.
public struct ClientIdentity: Sendable {
    public let format: KeyStoreFormat
    public let path: String
    /// The chosen key's alias; nil for PEM files and unnamed PKCS12 keys.
    public let alias: String?
    public let chain: [CertificateSummary]
    /// `CERTIFICATE` blocks, leaf first.
    public let certificateChainPEM: [UInt8]
    /// One unencrypted PKCS#8 `PRIVATE KEY` block; never written to disk.
    public let privateKeyPEM: SensitiveBytes
    public let warnings: [String]

    /// Reads `path`, picks the key named `alias` (or the only one), decrypts it
    /// with `keyPassword`, then the store password, and checks that it matches its certificate.
    static func load(
        path: String, storePassword: Secret?, keyPassword: Secret?, alias: String?, now: Date
    ) throws(KeyStoreError) -> ClientIdentity {
        let pair = try KeyPair.open(
            path: path, storePassword: storePassword, keyPassword: keyPassword, alias: alias,
            passwordSetting: "tls.keyStorePassword")
        guard let leaf = pair.chain.first, leaf.matches(pair.key) else {
            throw .keyDoesNotMatchCertificate(path: path, alias: pair.alias)
        }
        guard let keyPEM = pair.key.pkcs8PEM else {
            throw .damaged(path: path, detail: "the private key cannot be encoded")
        }
        let summaries = pair.chain.map { $0.summary(alias: nil) }
        return ClientIdentity(
            format: pair.format,
            path: path,
            alias: pair.alias,
            chain: summaries,
            certificateChainPEM: pair.chain.flatMap(\.pem),
            privateKeyPEM: keyPEM,
            warnings: pair.warnings + summaries.compactMap { $0.validityWarning(path: path, now: now) }
        )
    }
}
