// SPDX-License-Identifier: Apache-2.0

extension HTTPHeaders {
    /// Fields that describe one connection, never forwarded (RFC 9110 7.6.1), plus
    /// `Proxy-Authorization`, which is meant for token-proxy itself.
    private static let hopByHop = [
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade",
    ]

    /// Bit n is set when a name in `hopByHop` is n bytes long.
    private static let hopByHopLengths: UInt64 = hopByHop.reduce(0) { $0 | 1 << UInt64($1.utf8.count) }

    /// The fields less hop-by-hop ones, those `Connection` names, and those named in `dropping`.
    func endToEnd(dropping: [String] = []) -> HTTPHeaders {
        let connectionOptions = elements(inFieldsNamed: "Connection")
        var kept = HTTPHeaders()
        kept.reserveCapacity(count)
        for field in self where !Self.isHopByHop(field.name) {
            guard !dropping.contains(where: { field.name.caseInsensitiveEquals($0) }),
                !connectionOptions.contains(where: { field.name.caseInsensitiveEquals($0) })
            else { continue }
            kept.add(name: field.name, value: field.value)
        }
        return kept
    }

    /// Whether `name` is one of `hopByHop`; most names are ruled out by their length alone, as this
    /// runs for every field of every request and response.
    private static func isHopByHop(_ name: String) -> Bool {
        let length = name.utf8.count
        return length < 64 && hopByHopLengths & (1 << UInt64(length)) != 0
            && hopByHop.contains { name.caseInsensitiveEquals($0) }
    }
}

extension UpstreamResponseHead {
    /// `Retry-After` in seconds (the HTTP-date form is not honoured).
    var retryAfter: Duration? {
        headers.first(name: "Retry-After").flatMap { Int($0.trimmingWhitespace()) }.map { .seconds($0) }
    }
}
