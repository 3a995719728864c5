// SPDX-License-Identifier: Apache-2.0

/// The version in a request line; token-proxy accepts HTTP/1.0 and HTTP/1.1.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A parsed request line and header block.
public struct RequestHead: Sendable, Equatable {
    /// The method token as sent (case-sensitive, RFC 9110 9.1).
    public var method: String
    /// The request target as sent: origin form (`/a?b`), absolute form
    /// (`http://host/a?b`), authority form (`host:443`, CONNECT) or `*`.
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// Whether the connection stays open after this exchange (RFC 9112 9.3).
    public var keepAlive: Bool {
        let connection = headers.tokens(name: "Connection")
        if version == .http1_0 {
            return connection.contains("keep-alive")
        }
        return !connection.contains("close")
    }
}
