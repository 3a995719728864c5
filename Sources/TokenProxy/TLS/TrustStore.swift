// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Certificates to trust, as one PEM bundle for `CURLOPT_CAINFO_BLOB`.
public struct TrustStore: Sendable {
    public let format: KeyStoreFormat
    public let path: String
    public let certificates: [CertificateSummary]
    /// `CERTIFICATE` blocks, one per trusted certificate.
    public let pemBundle: [UInt8]
    public let warnings: [String]

    /// Reads `path`: a JKS or JCEKS store's trusted-certificate entries, a
    /// PKCS12 file's trusted certificates, or every certificate of a PEM file.
    /// Without a password a JKS store is read unverified, with a warning.
    static func load(path: String, password: Secret?, now: Date) throws(KeyStoreError) -> TrustStore {
        let (format, contents) = try KeyStoreReader.open(
            path: path, password: password?.revealed, setting: "tls.trustStorePassword")
        guard !contents.trusted.isEmpty else { throw .noCertificates(path: path) }
        let certificates = contents.trusted.map { $0.certificate.summary(alias: $0.alias) }
        return TrustStore(
            format: format,
            path: path,
            certificates: certificates,
            pemBundle: contents.trusted.flatMap(\.certificate.pem),
            warnings: contents.warnings + certificates.compactMap { $0.validityWarning(path: path, now: now) }
        )
    }
}
