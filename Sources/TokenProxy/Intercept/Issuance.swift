// SPDX-License-Identifier: Apache-2.0
internal import CCrypto
import Foundation

/// The serial number and validity of a certificate to issue.
struct Issuance {
    /// 16 random bytes with the top bit clear: 127 bits of entropy in a positive
    /// number, as the CA/Browser Forum asks (at least 64 bits).
    let serial: [UInt8]
    let notBefore: Date
    let notAfter: Date

    init(notBefore: Date, notAfter: Date) {
        var generator = SystemRandomNumberGenerator()
        var serial = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        serial[0] &= 0x7F
        self.serial = serial
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Lends the C form to `body`.
    func withParameters<Result>(_ body: (UnsafePointer<tp_crypto_issuance>) -> Result) -> Result {
        serial.withUnsafeBufferPointer { bytes in
            var parameters = tp_crypto_issuance(
                serial: bytes.baseAddress, serial_length: bytes.count,
                not_before: Int64(notBefore.timeIntervalSince1970.rounded(.down)),
                not_after: Int64(notAfter.timeIntervalSince1970.rounded(.down)))
            return body(&parameters)
        }
    }
}
