// SPDX-License-Identifier: Apache-2.0

/// A private key read from a key store and decrypted, with its certificate
/// chain: what a client certificate (`tls.keyStore`) and a signing key
/// (`auth.signingKeyStore`) are both made from.
struct KeyPair {
    let format: KeyStoreFormat
    /// The entry's alias; nil for PEM files and unnamed PKCS12 keys.
    let alias: String?
    let key: PrivateKey
    /// Leaf first; empty when the store holds no certificate of the key (a lone PEM key).
    let chain: [X509Certificate]
    /// Whether the store holds any certificate at all, so that an empty `chain` can tell a lone key from a stray one.
    let storeHasCertificates: Bool
    /// What reading the store found worth a warning.
    let warnings: [String]

    /// Reads `path`, picks the key named `alias` (or the only one) and decrypts
    /// it with `keyPassword`, then the store password. `passwordSetting` names
    /// the store password option in messages.
    static func open(
        path: String, storePassword: Secret?, keyPassword: Secret?, alias: String?, passwordSetting: String
    ) throws(KeyStoreError) -> KeyPair {
        let (format, contents) = try KeyStoreReader.open(
            path: path, password: storePassword?.revealed, setting: passwordSetting)
        let entry = try contents.keyEntry(alias: alias, path: path)
        var passwords: [String] = []
        for password in [keyPassword, storePassword].compactMap({ $0?.revealed }) where !passwords.contains(password) {
            passwords.append(password)
        }
        let key = try entry.key.decrypt(passwords: passwords, format: format, path: path, alias: entry.alias)
        let chain = entry.chain.isEmpty ? CertificateChain.build(for: key, from: contents.certificates) : entry.chain
        return KeyPair(
            format: format, alias: entry.alias, key: key, chain: chain,
            storeHasCertificates: !contents.certificates.isEmpty, warnings: contents.warnings)
    }
}
