// SPDX-License-Identifier: Apache-2.0
internal import CCrypto
import Foundation

/// A local CA as `token-proxy ca init` makes it: a fresh EC P-256 key and a
/// self-signed certificate whose name says what it is and on which machine.
struct NewAuthority {
    let key: PrivateKey
    let certificate: X509Certificate

    static let organization = "token-proxy"
    /// Two years: long enough not to be a chore, short enough that a forgotten CA dies.
    static let validity: TimeInterval = 730 * 24 * 3600
    /// Clocks of client apps that run a little behind still accept a CA made just now.
    static let backdating: TimeInterval = 5 * 60

    /// `token-proxy local interception CA (<host>)`, the host name cut so that the
    /// name stays within the 64 characters X.520 allows a common name.
    static func commonName(hostName: String) -> String {
        let prefix = "token-proxy local interception CA ("
        let room = 64 - prefix.count - 1
        let host = hostName.isEmpty ? "unknown host" : String(hostName.prefix(room))
        return prefix + host + ")"
    }

    /// Fails only when libcrypto does, which with a fresh key it does not.
    static func create(hostName: String, now: Date) -> Result<NewAuthority, LibCrypto.Failure> {
        guard let key = PrivateKey.generateP256() else { return .failure(LibCrypto.Failure(messages: ["no key"])) }
        let issuance = Issuance(notBefore: now - backdating, notAfter: now + validity)
        let issued = key.withHandle { handle in
            issuance.withParameters {
                tp_crypto_authority_issue(handle, commonName(hostName: hostName), organization, $0)
            }
        }
        return LibCrypto.result(issued).flatMap { handle in
            guard let certificate = X509Certificate(owning: handle) else {
                return .failure(LibCrypto.Failure(messages: ["the certificate cannot be encoded"]))
            }
            return .success(NewAuthority(key: key, certificate: certificate))
        }
    }

    /// The key and certificate as PKCS12 encrypted with `password` (AES-256 and an HMAC-SHA256
    /// integrity check, OpenSSL 3's defaults, which Java 11 and later read), under the name `alias`.
    func pkcs12(password: Secret, alias: String) -> SensitiveBytes? {
        let store = key.withHandle { keyHandle in
            certificate.withHandle { certificateHandle in
                PKCS12_create(
                    password.revealed, alias, keyHandle, certificateHandle, nil, 0, 0, PKCS12_DEFAULT_ITER,
                    PKCS12_DEFAULT_ITER, 0)
            }
        }
        guard let store = LibCrypto.checked(store) else { return nil }
        defer { PKCS12_free(store) }
        guard var der = LibCrypto.der({ i2d_PKCS12(store, $0) }) else { return nil }
        defer { der.wipe() }
        return SensitiveBytes(der)
    }
}
