// SPDX-License-Identifier: Apache-2.0
import Glibc

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16).
///
/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, how a dual-stack listener
/// on `[::]` sees IPv4 peers) is stored as the IPv4 address it maps, so that
/// an IPv4 allow list covers those peers too.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// From 4 or 16 network-order bytes.
    init(bytes: [UInt8]) {
        precondition(bytes.count == 4 || bytes.count == 16, "an IP address has 4 or 16 bytes")
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        self.bytes = bytes.count == 16 && bytes.starts(with: mappedPrefix) ? Array(bytes[12...]) : bytes
    }

    /// A numeric IPv4 or IPv6 address, such as `10.1.2.3` or `fd00::1`; nil for anything else.
    public init?(parsing text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(bytes: withUnsafeBytes(of: v4) { Array($0) })
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            self.init(bytes: withUnsafeBytes(of: v6) { Array($0) })
        } else {
            return nil
        }
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// `127.0.0.0/8` or `::1`.
    public var isLoopback: Bool {
        isIPv4 ? bytes[0] == 127 : bytes.dropLast().allSatisfy { $0 == 0 } && bytes[15] == 1
    }

    public var description: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN)) { text in
            bytes.withUnsafeBytes { raw in
                _ = inet_ntop(isIPv4 ? AF_INET : AF_INET6, raw.baseAddress, text.baseAddress, socklen_t(text.count))
            }
            return String(cString: text.baseAddress!)
        }
    }
}
