// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A short-lived TLS server certificate for one intercepted host, with its key.
///
/// `@unchecked Sendable`: the certificate and key are never changed after
/// minting; the TLS sessions of every loop take references to them, which
/// libcrypto counts under a lock.
final class LeafCertificate: @unchecked Sendable {
    let host: LeafHost
    let certificate: X509Certificate
    let key: PrivateKey

    init(host: LeafHost, certificate: X509Certificate, key: PrivateKey) {
        self.host = host
        self.certificate = certificate
        self.key = key
    }

    var notAfter: Date { certificate.notAfter }
}
