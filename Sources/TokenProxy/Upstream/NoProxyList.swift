// SPDX-License-Identifier: Apache-2.0
import Glibc

/// The hosts that bypass the platform proxy (`NO_PROXY`), matched as curl matches them.
///
/// Decided here rather than by curl, so that token-proxy knows for each route whether its
/// connections go to the proxy, and can tell a proxy's failure from the upstream's by that
/// alone (curl 7.88 does not report which it dialled). The rules are curl 7.88's
/// (`lib/noproxy.c`): `*` alone matches every host; entries are separated by commas or
/// blanks; a name matches itself and its subdomains, ignoring case and a leading or
/// trailing dot; an IP address matches an address entry or a CIDR range (`10.0.0.0/8`,
/// `fd00::/8`), never a name.
struct NoProxyList: Sendable, Equatable {
    private let text: String

    init(_ text: String) {
        self.text = text
    }

    /// Whether requests to `host` (a name or an IP address, an IPv6 one with or without brackets) go direct.
    func bypasses(host: String) -> Bool {
        guard !host.isEmpty, !text.isEmpty else { return false }
        if text == "*" { return true }
        let entries = text.split { $0 == "," || $0 == " " || $0 == "\t" }
        if let address = NoProxyAddress(host.hasPrefix("[") ? String(host.dropFirst().prefix { $0 != "]" }) : host) {
            return entries.contains { address.isWithin($0) }
        }
        let name = host.hasSuffix(".") ? host.dropLast() : host[...]
        return entries.contains { entry in
            var domain = entry.hasSuffix(".") ? entry.dropLast() : entry
            if domain.hasPrefix(".") { domain = domain.dropFirst() }
            guard domain.utf8.count <= name.utf8.count else { return false }
            let tail = name.utf8.suffix(domain.utf8.count)
            let atLabel =
                domain.utf8.count == name.utf8.count
                || name.utf8[name.utf8.index(before: tail.startIndex)] == UInt8(ascii: ".")
            return atLabel && Substring(tail).caseInsensitiveEquals(domain)
        }
    }
}

/// An IPv4 or IPv6 address as bytes, for `NoProxyList`'s address entries.
private struct NoProxyAddress {
    let bytes: [UInt8]

    init?(_ text: some StringProtocol) {
        let family = text.contains(":") ? AF_INET6 : AF_INET
        var storage = [UInt8](repeating: 0, count: family == AF_INET6 ? 16 : 4)
        guard String(text).withCString({ inet_pton(family, $0, &storage) }) == 1 else { return nil }
        bytes = storage
    }

    /// Whether the address is `entry` (`address`) or falls in it (`address/bits`); an entry of another
    /// family, or a name, never matches.
    func isWithin(_ entry: Substring) -> Bool {
        let slash = entry.firstIndex(of: "/")
        guard let network = NoProxyAddress(entry[..<(slash ?? entry.endIndex)]), network.bytes.count == bytes.count
        else {
            return false
        }
        let allBits = bytes.count * 8
        // As curl: a prefix length that is not a number counts as none, which means the whole address.
        let bits = slash.flatMap { Int(entry[entry.index(after: $0)...]) }.flatMap { $0 == 0 ? nil : $0 } ?? allBits
        guard bits <= allBits else { return false }
        let whole = bits / 8
        guard bytes[..<whole] == network.bytes[..<whole] else { return false }
        let rest = bits % 8
        guard rest > 0 else { return true }
        let mask = UInt8(0xFF) << (8 - rest)
        return bytes[whole] & mask == network.bytes[whole] & mask
    }
}
