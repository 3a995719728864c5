// SPDX-License-Identifier: Apache-2.0
internal import CCrypto
import Foundation

/// The local CA of `intercept.ca`, read once from its store (start-up, reload,
/// `check`): the key and certificate that sign the leaves of intercepted hosts.
///
/// `@unchecked Sendable`: the key and certificate are never changed after
/// loading, and libcrypto allows one key to sign on several threads.
final class CertificateAuthority: @unchecked Sendable {
    let key: PrivateKey
    let certificate: X509Certificate
    let path: String
    let format: KeyStoreFormat
    /// The store entry's alias; nil for PEM files and unnamed PKCS12 keys.
    let alias: String?
    /// What `check` prints and start-up logs: the store's warnings, a CA that expires soon.
    let warnings: [String]

    /// A CA this close to its expiry gets a warning, so that client apps can be given the next one in time.
    static let expiryWarningPeriod: TimeInterval = 30 * 24 * 3600

    private init(
        key: PrivateKey, certificate: X509Certificate, path: String, format: KeyStoreFormat, alias: String?,
        warnings: [String]
    ) {
        self.key = key
        self.certificate = certificate
        self.path = path
        self.format = format
        self.alias = alias
        self.warnings = warnings
    }

    /// Opens the store and checks that it holds a usable CA at `now`.
    static func load(
        _ settings: InterceptSettings.AuthorityStore, now: Date = Date()
    ) throws(CertificateAuthorityError) -> CertificateAuthority {
        let path = settings.keyStore
        let pair: KeyPair
        do {
            pair = try KeyPair.open(
                path: path, storePassword: settings.keyStorePassword, keyPassword: settings.keyPassword,
                alias: settings.keyAlias, passwordSetting: "intercept.ca.keyStorePassword")
        } catch {
            throw .keyStore(error)
        }
        guard let certificate = pair.chain.first else { throw .noCertificate(path: path, alias: pair.alias) }
        guard certificate.matches(pair.key) else {
            throw .keyStore(.keyDoesNotMatchCertificate(path: path, alias: pair.alias))
        }
        guard pair.key.isECOrRSA else { throw .unsupportedKey(path: path, alias: pair.alias) }
        guard certificate.isAuthority else {
            throw .notAnAuthority(path: path, alias: pair.alias, subject: certificate.subject)
        }
        guard now <= certificate.notAfter else {
            throw .expired(path: path, subject: certificate.subject, notAfter: certificate.notAfter)
        }
        let summary = certificate.summary(alias: pair.alias)
        var warnings = pair.warnings + (summary.validityWarning(path: path, now: now).map { [$0] } ?? [])
        if certificate.notAfter.timeIntervalSince(now) < expiryWarningPeriod {
            warnings.append(
                "intercept CA \(summary.subject) in \(path) expires on \(certificate.notAfter.ISO8601Format()); "
                    + "make a new one with token-proxy ca init, and have client apps trust it before then")
        }
        return CertificateAuthority(
            key: pair.key, certificate: certificate, path: path, format: pair.format, alias: pair.alias,
            warnings: warnings)
    }
}
