// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The bytes the echo service's `/bytes/<n>` sends: byte i is `i % 251`.
///
/// 251 is prime, so a body shifted, truncated or with a repeated buffer does
/// not line up with the pattern by accident.
enum BytePattern {
    static let period = 251
    /// A whole number of periods, so consecutive blocks continue the pattern.
    private static let block: [UInt8] = (0..<(period * 256)).map { UInt8($0 % period) }

    /// The first `count` bytes of the pattern.
    static func bytes(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            bytes += block.prefix(count - bytes.count)
        }
        return bytes
    }

    /// Whether `bytes` is exactly the first `bytes.count` bytes of the pattern.
    static func matches(_ bytes: [UInt8]) -> Bool {
        // memcmp block by block: an element-wise loop over 20 MB is slow in debug builds.
        bytes.withUnsafeBytes { received in
            block.withUnsafeBytes { expected in
                stride(from: 0, to: received.count, by: expected.count).allSatisfy { offset in
                    let length = min(expected.count, received.count - offset)
                    return memcmp(received.baseAddress! + offset, expected.baseAddress!, length) == 0
                }
            }
        }
    }
}
