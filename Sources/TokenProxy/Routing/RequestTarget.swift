// SPDX-License-Identifier: Apache-2.0

/// Where a client request is headed: the host it names and the path to forward.
///
/// The host comes from the absolute URI when the app uses token-proxy as an
/// HTTP proxy (`GET http://api.example.com/v1/x`), else from `Host` when it
/// uses token-proxy as a base URL (`GET /v1/x`).
struct RequestTarget: Equatable {
    /// Lower-cased host without a trailing dot; nil when the request names none (HTTP/1.0 without Host).
    var host: String?
    /// The port named with the host; nil when none was written.
    var port: Int?
    /// Path and query to append to the upstream base, starting with "/".
    var pathAndQuery: String

    init(host: String?, port: Int?, pathAndQuery: String) {
        self.host = host
        self.port = port
        self.pathAndQuery = pathAndQuery
    }

    init(head: RequestHead) throws(ProxyError) {
        let target = head.target
        if target.utf8.first == UInt8(ascii: "/") {
            let authority = head.headers.first(name: "Host").flatMap { $0.isEmpty ? nil : $0 }
            let (host, port) =
                try authority.map { value throws(ProxyError) in try Self.splitAuthority(Substring(value)) }
                ?? (nil, nil)
            self.init(host: host, port: port, pathAndQuery: target)
            return
        }
        guard let colon = target.utf8.firstIndex(of: UInt8(ascii: ":")), target[colon...].hasPrefix("://") else {
            throw .badRequest("request target '\(target)' is neither a path nor an http:// URL")
        }
        let scheme = target[..<colon]
        guard scheme.caseInsensitiveEquals("http") else {
            throw .badRequest(
                "scheme '\(scheme.lowercased())' is not supported: send http:// URLs; "
                    + "token-proxy makes the TLS connection upstream")
        }
        let rest = target[target.utf8.index(colon, offsetBy: 3)...]
        let authorityEnd =
            rest.utf8.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.utf8.contains(UInt8(ascii: "@")) else {
            throw .badRequest("URLs with user information are not accepted")
        }
        let (host, port) = try Self.splitAuthority(authority)
        var path = rest[authorityEnd...]
        if let fragment = path.utf8.firstIndex(of: UInt8(ascii: "#")) { path = path[..<fragment] }
        self.init(
            host: host, port: port, pathAndQuery: path.utf8.first == UInt8(ascii: "/") ? String(path) : "/" + path)
    }

    /// Splits `host`, `host:port` or `[v6]:port`, normalising the host for matching.
    static func splitAuthority(_ authority: Substring) throws(ProxyError) -> (host: String, port: Int?) {
        var host = authority
        var portText: Substring?
        if host.utf8.first == UInt8(ascii: "[") {
            guard let close = host.utf8.firstIndex(of: UInt8(ascii: "]")) else {
                throw .badRequest("malformed host '\(authority)'")
            }
            let after = host[host.utf8.index(after: close)...]
            if after.utf8.first == UInt8(ascii: ":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw .badRequest("malformed host '\(authority)'")
            }
            host = host[host.utf8.index(after: host.startIndex)..<close]
        } else if let colon = host.utf8.lastIndex(of: UInt8(ascii: ":")) {
            portText = host[host.utf8.index(after: colon)...]
            host = host[..<colon]
        }
        var port: Int?
        if let portText {
            guard portText.utf8.allSatisfy(HTTPByte.isDigit),
                let value = Int(portText), (1...65535).contains(value)
            else {
                throw .badRequest("malformed port in host '\(authority)'")
            }
            port = value
        }
        while host.utf8.last == UInt8(ascii: ".") { host = host.dropLast() }
        // Printable ASCII only; no space, and no "/" that could reshape the upstream URL.
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw .badRequest("malformed host '\(authority)'")
        }
        return (host.lowercased(), port)
    }
}
