// SPDX-License-Identifier: Apache-2.0

/// A block of addresses written in CIDR notation (`10.0.0.0/8`, `fd00::/8`),
/// or a single address (`::1`, which is `::1/128`).
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address, with the bits past the prefix cleared.
    public let address: IPAddress
    public let prefixLength: Int

    /// Why a CIDR was rejected; completes "the value of KEY is not valid: ...".
    enum ParseError: Error, Equatable, CustomStringConvertible {
        case notAnAddress
        case prefixOutOfRange(maximum: Int)

        var description: String {
            switch self {
            case .notAnAddress:
                "expected an IPv4 or IPv6 address with an optional /prefix, such as 10.0.0.0/8 or fd00::/8"
            case .prefixOutOfRange(let maximum):
                "the prefix length after / must be a number from 0 to \(maximum)"
            }
        }
    }

    /// `address/prefix` or a bare address. Host bits set past the prefix (`10.1.2.3/8`) are cleared,
    /// as `ip route` does.
    init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parsing: String(parts[0])) else { throw .notAnAddress }
        let maximum = address.bytes.count * 8
        var prefixLength = maximum
        if parts.count == 2 {
            guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(parts[1]),
                (0...maximum).contains(length)
            else { throw .prefixOutOfRange(maximum: maximum) }
            prefixLength = length
        }
        self.init(address: address, prefixLength: prefixLength)
    }

    init(address: IPAddress, prefixLength: Int) {
        self.address = IPAddress(bytes: Self.masked(address.bytes, prefixLength: prefixLength))
        self.prefixLength = prefixLength
    }

    /// Whether `peer` lies in this block; an IPv4 peer never lies in an IPv6 block or the other way round.
    public func contains(_ peer: IPAddress) -> Bool {
        peer.bytes.count == address.bytes.count && Self.masked(peer.bytes, prefixLength: prefixLength) == address.bytes
    }

    public var description: String { "\(address)/\(prefixLength)" }

    /// The loopback peers served when `clients.allow` is not set.
    public static let loopback = [
        IPNetwork(address: IPAddress(bytes: [127, 0, 0, 0]), prefixLength: 8),
        IPNetwork(address: IPAddress(bytes: Array(repeating: 0, count: 15) + [1]), prefixLength: 128),
    ]

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsKept = min(max(prefixLength - index * 8, 0), 8)
            return bitsKept == 8 ? byte : byte & ~(0xff >> UInt8(bitsKept))
        }
    }
}
