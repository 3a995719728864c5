// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Why the `intercept.ca` key store cannot sign the certificates of intercepted hosts.
/// Messages name the store and the `intercept.ca.*` option to change, never a password or key.
public enum CertificateAuthorityError: Error, CustomStringConvertible, Equatable {
    /// The store could not be read, as for `tls.keyStore`.
    case keyStore(KeyStoreError)
    /// The store holds the key without its certificate (a lone PEM key).
    case noCertificate(path: String, alias: String?)
    /// The key is neither EC nor RSA.
    case unsupportedKey(path: String, alias: String?)
    /// The certificate is not a CA's: no basicConstraints CA:TRUE, or a keyUsage without keyCertSign.
    case notAnAuthority(path: String, alias: String?, subject: String)
    /// Every leaf it signed would be refused.
    case expired(path: String, subject: String, notAfter: Date)
    /// libssl could not set up TLS at all, which a broken OpenSSL installation causes.
    case tlsUnavailable(String)

    public var description: String {
        switch self {
        case .keyStore(let error):
            return "intercept CA: " + error.description(keySettingsPrefix: "intercept.ca.key")
        case .noCertificate(let path, let alias):
            return "intercept CA: \(path) holds the private key\(Self.quoted(alias)) but not its certificate; "
                + "put both in one file (PEM: the certificate and the key one after the other), "
                + "or make a new CA with token-proxy ca init"
        case .unsupportedKey(let path, let alias):
            return "intercept CA: the private key\(Self.quoted(alias)) in \(path) is neither EC nor RSA; "
                + "make a new CA with token-proxy ca init"
        case .notAnAuthority(let path, let alias, let subject):
            return "intercept CA: the certificate\(Self.quoted(alias)) in \(path) (\(subject)) is not a CA "
                + "certificate: it needs basicConstraints CA:TRUE and, if it has keyUsage, keyCertSign; "
                + "make one with token-proxy ca init"
        case .expired(let path, let subject, let notAfter):
            return "intercept CA: the certificate in \(path) (\(subject)) expired on \(notAfter.ISO8601Format()); "
                + "make a new CA with token-proxy ca init, and have client apps trust it"
        case .tlsUnavailable(let detail):
            return "intercept: libssl cannot set up a TLS server: \(detail)"
        }
    }

    private static func quoted(_ alias: String?) -> String {
        alias.map { " \"\($0)\"" } ?? ""
    }
}
