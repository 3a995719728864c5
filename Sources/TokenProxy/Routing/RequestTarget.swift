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
        if target.hasPrefix("/") {
            let authority = head.headers.first(name: "Host").flatMap { $0.isEmpty ? nil : $0 }
            let (host, port) =
                try authority.map { value throws(ProxyError) in try Self.splitAuthority(value) } ?? (nil, nil)
            self.init(host: host, port: port, pathAndQuery: target)
            return
        }
        guard let schemeEnd = target.range(of: "://") else {
            throw .badRequest("request target '\(target)' is neither a path nor an http:// URL")
        }
        let scheme = target[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" else {
            throw .badRequest(
                "scheme '\(scheme)' is not supported: send http:// URLs; token-proxy makes the TLS connection upstream")
        }
        let rest = target[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.contains("@") else {
            throw .badRequest("URLs with user information are not accepted")
        }
        let (host, port) = try Self.splitAuthority(String(authority))
        var path = String(rest[authorityEnd...])
        if let fragment = path.firstIndex(of: "#") { path = String(path[..<fragment]) }
        if !path.hasPrefix("/") { path = "/" + path }
        self.init(host: host, port: port, pathAndQuery: path)
    }

    /// Splits `host`, `host:port` or `[v6]:port`, normalising the host for matching.
    static func splitAuthority(_ authority: String) throws(ProxyError) -> (host: String, port: Int?) {
        var host = Substring(authority)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw .badRequest("malformed host '\(authority)'") }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw .badRequest("malformed host '\(authority)'")
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value), portText.allSatisfy(\.isASCII) else {
                throw .badRequest("malformed port in host '\(authority)'")
            }
            port = value
        }
        while host.hasSuffix(".") { host = host.dropLast() }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" }) else {
            throw .badRequest("malformed host '\(authority)'")
        }
        return (host.lowercased(), port)
    }
}
