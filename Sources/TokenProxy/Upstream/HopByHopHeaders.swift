// SPDX-License-Identifier: Apache-2.0

extension HTTPHeaders {
    /// Fields that describe one connection, never forwarded (RFC 9110 7.6.1), plus
    /// `Proxy-Authorization`, which is meant for token-proxy itself.
    private static let hopByHop = [
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade",
    ]

    /// The fields less hop-by-hop ones, those `Connection` names, and those named in `dropping`.
    func endToEnd(dropping: [String] = []) -> HTTPHeaders {
        let namesOptions = contains(name: "Connection")
        var kept = HTTPHeaders()
        kept.reserveCapacity(count)
        for field in self {
            let matches = { (other: String) in field.name.caseInsensitiveEquals(other) }
            guard !Self.hopByHop.contains(where: matches), !dropping.contains(where: matches),
                !(namesOptions && lists(field.name, inFieldsNamed: "Connection"))
            else { continue }
            kept.add(name: field.name, value: field.value)
        }
        return kept
    }
}

extension UpstreamResponseHead {
    /// `Retry-After` in seconds (the HTTP-date form is not honoured).
    var retryAfter: Duration? {
        headers.first(name: "Retry-After").flatMap { Int($0.trimmingWhitespace()) }.map { .seconds($0) }
    }
}
