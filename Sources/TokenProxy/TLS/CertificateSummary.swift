// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Summary of one certificate, for `token-proxy check` and warnings.
public struct CertificateSummary: Sendable, Equatable {
    /// The store entry's alias; nil for PEM and unnamed PKCS12 certificates.
    public let alias: String?
    /// RFC 2253 text, most specific name first (`CN=client,O=Example`).
    public let subject: String
    public let issuer: String
    public let notBefore: Date
    public let notAfter: Date

    /// A warning when the certificate is not valid at `now`, with its dates.
    func validityWarning(path: String, now: Date) -> String? {
        let name = alias.map { "\"\($0)\" (\(subject))" } ?? subject
        if now > notAfter {
            return "certificate \(name) in \(path) expired on \(notAfter.ISO8601Format())"
        }
        if now < notBefore {
            return "certificate \(name) in \(path) is not valid before \(notBefore.ISO8601Format())"
        }
        return nil
    }
}
