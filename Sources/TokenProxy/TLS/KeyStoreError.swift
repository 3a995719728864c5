// SPDX-License-Identifier: Apache-2.0

/// Why a trust store or key store could not be used. Every case names the
/// file and says what to do; none carries a password or key material.
public enum KeyStoreError: Error, CustomStringConvertible, Equatable {
    /// The file is missing, a directory, too large or unreadable.
    case fileUnreadable(path: String, reason: String)
    /// The bytes are not JKS, JCEKS, PKCS12 or PEM; `looksLike` says what they resemble.
    case notAKeyStore(path: String, looksLike: String)
    /// The integrity check failed: wrong store password, or a modified file.
    case wrongStorePassword(path: String)
    /// The store is encrypted and no password is configured.
    case passwordRequired(path: String, setting: String)
    /// The private key could not be decrypted with the key password (or the store password).
    case wrongKeyPassword(path: String, alias: String?)
    /// `tls.keyAlias` names no private key in the store.
    case aliasNotFound(path: String, alias: String, available: [String])
    /// The store holds several private keys and `tls.keyAlias` is not set.
    case ambiguousKey(path: String, aliases: [String])
    /// No certificate to trust.
    case noCertificates(path: String)
    /// A key store without a private key.
    case noPrivateKey(path: String)
    /// A JCEKS store with a secret-key entry, which cannot be skipped.
    case jceksSecretKey(path: String, alias: String)
    /// An entry, certificate type or encryption this reader does not support.
    case unsupportedEntry(path: String, detail: String)
    /// A PKCS12 file encrypted with RC2, RC4 or DES while OpenSSL's legacy provider is missing.
    case legacyAlgorithmUnavailable(path: String)
    /// Truncated or corrupt; `detail` says where or what libcrypto reported.
    case damaged(path: String, detail: String)
    /// The private key belongs to none of the certificates offered with it.
    case keyDoesNotMatchCertificate(path: String, alias: String?)

    public var description: String {
        switch self {
        case .fileUnreadable(let path, let reason):
            return "cannot read key store \(path): \(reason)"
        case .notAKeyStore(let path, let looksLike):
            return "\(path) is not a JKS, JCEKS, PKCS12 or PEM file: \(looksLike)"
        case .wrongStorePassword(let path):
            return "integrity check of \(path) failed: the store password is wrong, or the file was modified"
        case .passwordRequired(let path, let setting):
            return "\(path) is encrypted: set \(setting)"
        case .wrongKeyPassword(let path, let alias):
            return "cannot decrypt private key\(Self.quoted(alias)) in \(path): "
                + "the key password is wrong; set tls.keyPassword when it differs from the store password"
        case .aliasNotFound(let path, let alias, let available):
            return "no private key with alias \"\(alias)\" in \(path); "
                + "its private keys are \(Self.list(available)) (aliases ignore case)"
        case .ambiguousKey(let path, let aliases) where aliases.isEmpty:
            return "\(path) holds several private keys; keep one in the file"
        case .ambiguousKey(let path, let aliases):
            return "\(path) holds \(aliases.count) private keys (\(Self.list(aliases))); set tls.keyAlias to choose one"
        case .noCertificates(let path):
            return "\(path) holds no certificates to trust"
        case .noPrivateKey(let path):
            return "\(path) holds no private key; is it the trust store given as the key store?"
        case .jceksSecretKey(let path, let alias):
            return "\(path) holds a JCEKS secret-key entry \"\(alias)\", which is not supported; convert the store: "
                + "keytool -importkeystore -srckeystore \(path) -srcstoretype JCEKS "
                + "-destkeystore store.p12 -deststoretype PKCS12"
        case .unsupportedEntry(let path, let detail):
            return "\(path): \(detail) is not supported; convert the store with "
                + "keytool -importkeystore -deststoretype PKCS12"
        case .legacyAlgorithmUnavailable(let path):
            return "\(path) is encrypted with RC2, RC4 or DES, which needs OpenSSL's legacy provider (not installed); "
                + "re-export it with keytool 17 or later, or with openssl pkcs12 -export from OpenSSL 3"
        case .damaged(let path, let detail):
            return "\(path) is damaged or truncated (\(detail)); copy the file again"
        case .keyDoesNotMatchCertificate(let path, let alias):
            return "private key\(Self.quoted(alias)) in \(path) does not match its certificate"
        }
    }

    /// The description for a key store named by other options than `tls.key*`: `prefix`
    /// (`auth.signingKey`, `intercept.ca.key`) takes the place of `tls.key` in option names.
    public func description(keySettingsPrefix prefix: String) -> String {
        description.replacingOccurrences(of: "tls.key", with: prefix)
    }

    /// A short, bounded label for metrics and log fields.
    public var metricLabel: String {
        switch self {
        case .fileUnreadable: "file_unreadable"
        case .notAKeyStore: "not_a_key_store"
        case .wrongStorePassword: "wrong_store_password"
        case .passwordRequired: "password_required"
        case .wrongKeyPassword: "wrong_key_password"
        case .aliasNotFound: "alias_not_found"
        case .ambiguousKey: "ambiguous_key"
        case .noCertificates: "no_certificates"
        case .noPrivateKey: "no_private_key"
        case .jceksSecretKey: "jceks_secret_key"
        case .unsupportedEntry: "unsupported_entry"
        case .legacyAlgorithmUnavailable: "legacy_algorithm_unavailable"
        case .damaged: "damaged"
        case .keyDoesNotMatchCertificate: "key_certificate_mismatch"
        }
    }

    private static func quoted(_ alias: String?) -> String {
        alias.map { " \"\($0)\"" } ?? ""
    }

    private static func list(_ aliases: [String]) -> String {
        aliases.isEmpty ? "none" : aliases.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
