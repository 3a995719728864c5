// SPDX-License-Identifier: Apache-2.0
import CCrypto
import Foundation

/// SHA-256 from libcrypto, to compare a body with the digest the echo service reports.
enum SHA256 {
    static func hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = bytes.withUnsafeBufferPointer { CCrypto.SHA256($0.baseAddress, $0.count, &digest) }
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}
