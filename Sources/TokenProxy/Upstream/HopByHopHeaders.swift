// SPDX-License-Identifier: Apache-2.0

extension HTTPHeaders {
    /// Fields that describe one connection, never forwarded (RFC 9110 7.6.1), plus
    /// `Proxy-Authorization`, which is meant for token-proxy itself.
    private static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade",
    ]

    /// The fields less hop-by-hop ones and those `Connection` names.
    var endToEnd: HTTPHeaders {
        let named = Set(tokens(name: "Connection"))
        return HTTPHeaders(
            filter { field in
                let name = field.name.lowercased()
                return !Self.hopByHop.contains(name) && !named.contains(name)
            })
    }
}

extension UpstreamResponseHead {
    /// `Retry-After` in seconds (the HTTP-date form is not honoured).
    var retryAfter: Duration? {
        headers.first(name: "Retry-After").flatMap { Int($0.trimmingWhitespace()) }.map { .seconds($0) }
    }
}
