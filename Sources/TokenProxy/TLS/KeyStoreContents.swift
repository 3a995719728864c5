// SPDX-License-Identifier: Apache-2.0

/// What a store holds once its container is read and before any private key
/// is decrypted: the same shape for JKS, JCEKS, PKCS12 and PEM.
struct KeyStoreContents {
    /// A certificate the store marks as trusted, under its alias when it has one.
    struct TrustedCertificate {
        let alias: String?
        let certificate: X509Certificate
    }

    /// A private key as stored, with its certificate chain when the store records one.
    struct KeyEntry {
        let alias: String?
        let key: StoredPrivateKey
        /// Leaf first. Empty when the container does not link keys to certificates
        /// (PKCS12, PEM); the chain is then built from `certificates`.
        let chain: [X509Certificate]
    }

    var trusted: [TrustedCertificate] = []
    var keys: [KeyEntry] = []
    /// Every certificate in the store, trusted or not, to find a key's chain in.
    var certificates: [X509Certificate] = []
    var warnings: [String] = []
}

/// A private key as a store keeps it.
enum StoredPrivateKey {
    /// An unencrypted PKCS#8 `PrivateKeyInfo` (PKCS12 keyBag).
    case plain(SensitiveBytes)
    /// A PKCS#8 `EncryptedPrivateKeyInfo`: Sun's JKS or JCEKS protection, or a
    /// standard PBE scheme that libcrypto decrypts.
    case encrypted([UInt8])
    /// A PEM block in any key format libcrypto reads, encrypted or not.
    case pem(SensitiveBytes, isEncrypted: Bool)
}
