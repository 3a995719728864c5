internal import CCrypto
// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One certificate, parsed by libcrypto and kept with its DER bytes.
/// Owns the `X509` it wraps; used while a store is being read, and by the
/// interception CA and its leaves, which never change it once made.
final class X509Certificate {
    let der: [UInt8]
    fileprivate let handle: OpaquePointer

    private init(handle: OpaquePointer, der: [UInt8]) {
        self.handle = handle
        self.der = der
    }

    /// Nil when `der` is not an X.509 certificate (the error queue is cleared).
    convenience init?(der: some Collection<UInt8>) {
        let bytes = Array(der)
        let parsed: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let handle = LibCrypto.checked(parsed) else { return nil }
        self.init(handle: handle, der: bytes)
    }

    /// Takes ownership of an `X509` that libcrypto handed out with a reference.
    convenience init?(owning x509: OpaquePointer) {
        guard let bytes = LibCrypto.der({ i2d_X509(x509, $0) }) else {
            X509_free(x509)
            return nil
        }
        self.init(handle: x509, der: bytes)
    }

    deinit {
        X509_free(handle)
    }

    var subject: String { Self.text(of: X509_get_subject_name(handle)) }
    var issuer: String { Self.text(of: X509_get_issuer_name(handle)) }
    var notBefore: Date { Self.date(X509_get0_notBefore(handle)) }
    var notAfter: Date { Self.date(X509_get0_notAfter(handle)) }

    /// Whether `issuer` signed this certificate, judged by names and key identifiers.
    func isIssued(by issuer: X509Certificate) -> Bool {
        X509_check_issued(issuer.handle, handle) == X509_V_OK
    }

    var isSelfIssued: Bool { isIssued(by: self) }

    func summary(alias: String?) -> CertificateSummary {
        CertificateSummary(alias: alias, subject: subject, issuer: issuer, notBefore: notBefore, notAfter: notAfter)
    }

    var pem: [UInt8] { PEMBlock(label: "CERTIFICATE", body: der).encoded }

    /// Adds this certificate to an `X509_STORE` as a trust anchor; false when libcrypto refuses it.
    func addAsAnchor(to store: OpaquePointer) -> Bool {
        let added = X509_STORE_add_cert(store, handle) == 1
        _ = LibCrypto.takeFailure()
        return added
    }

    /// Whether `key` is the private half of this certificate's public key.
    func matches(_ key: PrivateKey) -> Bool {
        defer { _ = LibCrypto.takeFailure() }
        return key.withHandle { X509_check_private_key(handle, $0) == 1 }
    }

    func withHandle<Result>(_ body: (OpaquePointer) -> Result) -> Result {
        body(handle)
    }

    private static func text(of name: OpaquePointer?) -> String {
        guard let name else { return "" }
        return LibCrypto.writtenText { _ = tp_crypto_name_print($0, name) }
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}
