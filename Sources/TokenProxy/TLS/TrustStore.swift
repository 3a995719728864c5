// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Certificates to trust: as libcrypto anchors for upstream connections, and as one PEM bundle.
public struct TrustStore: Sendable {
    public let format: KeyStoreFormat
    public let path: String
    public let certificates: [CertificateSummary]
    /// `CERTIFICATE` blocks, one per trusted certificate.
    public let pemBundle: [UInt8]
    /// What upstream TLS connections verify their peers against.
    let anchors: TrustAnchors
    /// A short PEM that differs whenever the bundle does: a comment line with the bundle's
    /// SHA-256, then its first certificate. curl compares the CA blob of every request with
    /// each kept-alive connection's, byte by byte, after copying it twice; this stands in for
    /// a bundle of any size there, while `anchors` does the verifying.
    let identityPEM: [UInt8]
    public let warnings: [String]

    /// Reads `path`: a JKS or JCEKS store's trusted-certificate entries, a
    /// PKCS12 file's trusted certificates, or every certificate of a PEM file.
    /// Without a password a JKS store is read unverified, with a warning.
    static func load(path: String, password: Secret?, now: Date) throws(KeyStoreError) -> TrustStore {
        let (format, contents) = try KeyStoreReader.open(
            path: path, password: password?.revealed, setting: "tls.trustStorePassword")
        guard let first = contents.trusted.first else { throw .noCertificates(path: path) }
        guard let anchors = TrustAnchors(certificates: contents.trusted.map(\.certificate)) else {
            throw .damaged(path: path, detail: "libcrypto refused one of its certificates as a trust anchor")
        }
        let certificates = contents.trusted.map { $0.certificate.summary(alias: $0.alias) }
        let pemBundle = contents.trusted.flatMap(\.certificate.pem)
        let digest = LibCrypto.sha256(pemBundle).hexEncoded()
        return TrustStore(
            format: format,
            path: path,
            certificates: certificates,
            pemBundle: pemBundle,
            anchors: anchors,
            identityPEM: Array("token-proxy trust store, sha256 \(digest)\n".utf8) + first.certificate.pem,
            warnings: contents.warnings + certificates.compactMap { $0.validityWarning(path: path, now: now) }
        )
    }
}
