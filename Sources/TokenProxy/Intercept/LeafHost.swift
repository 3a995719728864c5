// SPDX-License-Identifier: Apache-2.0

/// The host a leaf certificate is minted for, as the `CONNECT` authority names
/// it: a DNS name (lower-cased) or an IP address literal.
struct LeafHost: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case dnsName
        case ipAddress
    }

    let name: String
    let kind: Kind

    /// `host` as written in a `CONNECT` authority, without the port: `api.example.com`,
    /// `10.0.0.1`, `[fd00::1]`. Nil for anything a certificate cannot name: empty labels,
    /// characters outside letters, digits and hyphens, wildcards, over 253 characters.
    init?(_ host: String) {
        if host.hasPrefix("["), host.hasSuffix("]") {
            let literal = String(host.dropFirst().dropLast())
            guard let address = IPAddress(parsing: literal), !address.isIPv4 else { return nil }
            name = address.description
            kind = .ipAddress
        } else if let address = IPAddress(parsing: host), address.isIPv4 {
            name = address.description
            kind = .ipAddress
        } else {
            let lowered = host.lowercased()
            guard Self.isDNSName(lowered) else { return nil }
            name = lowered
            kind = .dnsName
        }
    }

    var description: String { name }

    /// RFC 1123 host names, with the trailing dot of a fully qualified name refused:
    /// certificates name hosts without it, and clients compare without it.
    private static func isDNSName(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = label.utf8
            guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
            return first != UInt8(ascii: "-") && last != UInt8(ascii: "-")
                && bytes.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
