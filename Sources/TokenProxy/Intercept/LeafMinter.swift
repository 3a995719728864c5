// SPDX-License-Identifier: Apache-2.0
internal import CCrypto
import Foundation

/// Mints the leaf certificate of an intercepted host, signed by the local CA:
/// a fresh P-256 key, the host as its only subjectAltName, serverAuth, valid
/// for a day at most and never past the CA. Called off the loops (`LeafCache`):
/// a key and a signature take about a millisecond.
struct LeafMinter: Sendable {
    let authority: CertificateAuthority

    /// A leaf lives a day: short enough that a leaked one soon dies, long enough to be reused.
    static let lifetime: TimeInterval = 24 * 3600
    /// Clients whose clocks run a little behind still accept a leaf minted just now.
    static let backdating: TimeInterval = 5 * 60

    /// Why no leaf could be minted; libcrypto does not fail with a CA it loaded, so this is rare.
    struct Failure: Error, Equatable, CustomStringConvertible {
        let host: LeafHost
        let detail: String

        var description: String { "cannot mint a certificate for \(host): \(detail)" }
    }

    func mint(for host: LeafHost, now: Date = Date()) throws(Failure) -> LeafCertificate {
        guard let key = PrivateKey.generateP256() else { throw Failure(host: host, detail: "libcrypto made no key") }
        let authorityEnd = authority.certificate.notAfter
        // A process that outlives its CA: refuse rather than mint leaves every client rejects.
        guard now < authorityEnd else {
            throw Failure(host: host, detail: "the intercept CA expired on \(authorityEnd.ISO8601Format())")
        }
        let notAfter = min(now + Self.lifetime, authorityEnd)
        let issuance = Issuance(notBefore: now - Self.backdating, notAfter: notAfter)
        let issued = key.withHandle { leafKey in
            authority.key.withHandle { authorityKey in
                authority.certificate.withHandle { authorityCertificate in
                    issuance.withParameters {
                        tp_crypto_leaf_issue(
                            leafKey, host.name, host.kind == .ipAddress ? 1 : 0, authorityCertificate, authorityKey,
                            $0)
                    }
                }
            }
        }
        let certificate: X509Certificate?
        switch LibCrypto.result(issued) {
        case .success(let handle): certificate = X509Certificate(owning: handle)
        case .failure(let failure): throw Failure(host: host, detail: failure.text)
        }
        guard let certificate else { throw Failure(host: host, detail: "the certificate cannot be encoded") }
        return LeafCertificate(host: host, certificate: certificate, key: key)
    }
}
