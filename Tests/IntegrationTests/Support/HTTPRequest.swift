// SPDX-License-Identifier: Apache-2.0

/// A request a test sends byte for byte: any method, origin or absolute form, HTTP/1.1 or HTTP/1.0.
///
/// `head(defaultHost:)` adds only the framing the body needs and a `Host` when
/// the test gave none; anything stranger is written as raw bytes with
/// `HTTPClient.send(_:)`.
struct HTTPRequest: Sendable {
    enum Body: Sendable {
        case none
        /// Sent with `Content-Length`.
        case bytes([UInt8])
        /// Sent with `Transfer-Encoding: chunked`, one chunk per element.
        case chunked([[UInt8]])
    }

    var method: String
    /// `/path?query` (origin form) or `http://host/path` (absolute form, as to a proxy).
    var target: String
    var version: String
    var headers: [HTTPField]
    var body: Body

    init(
        _ method: String = "GET",
        _ target: String,
        version: String = "HTTP/1.1",
        headers: [HTTPField] = [],
        body: Body = .none
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The request line and header fields with the blank line that ends them.
    func head(defaultHost: String) -> [UInt8] {
        var fields = headers
        if !has("Host") && version != "HTTP/1.0" {
            fields.insert(HTTPField("Host", absoluteFormAuthority ?? defaultHost), at: 0)
        }
        switch body {
        case .bytes(let bytes) where !has("Content-Length") && !has("Transfer-Encoding"):
            fields.append(HTTPField("Content-Length", String(bytes.count)))
        case .chunked where !has("Transfer-Encoding"):
            fields.append(HTTPField("Transfer-Encoding", "chunked"))
        default:
            break
        }
        let lines = ["\(method) \(target) \(version)"] + fields.map { "\($0.name): \($0.value)" }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// The body as it goes on the wire, chunk framing included.
    var encodedBody: [UInt8] {
        switch body {
        case .none:
            return []
        case .bytes(let bytes):
            return bytes
        case .chunked(let chunks):
            let framed = chunks.filter { !$0.isEmpty }.flatMap { chunk in
                Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + Array("\r\n".utf8)
            }
            return framed + Array("0\r\n\r\n".utf8)
        }
    }

    private func has(_ name: String) -> Bool {
        headers.contains { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    private var absoluteFormAuthority: String? {
        guard let scheme = target.range(of: "://") else { return nil }
        let rest = target[scheme.upperBound...]
        return String(rest.prefix { $0 != "/" && $0 != "?" })
    }
}
