// SPDX-License-Identifier: Apache-2.0

/// One route: which client hosts it serves, where it forwards, and how.
///
/// Every field is already defaulted (from the top level, then the contract's
/// defaults) and validated.
public struct RouteConfiguration: Sendable, Equatable {
    /// Unique route name, used in logs, metrics and `--route`.
    public var name: String
    /// Hosts this route serves; empty: the default route.
    public var hosts: [HostPattern]
    /// Where requests are forwarded.
    public var upstream: UpstreamURL
    /// How the bearer token is obtained (`auth.*`).
    public var auth: AuthConfiguration
    /// Trust store and key store (`tls.*`).
    public var tls: TLSConfiguration
    /// Chained proxy for upstream requests (`proxy.*`).
    public var proxy: ProxySettings
    /// Bound of one try of the upstream exchange (`connectionTimeout`, default 60 s).
    public var connectionTimeout: Duration
    /// Per-path-prefix timeouts (`endpoints`).
    public var endpoints: [EndpointTimeout]
    /// Retries after the first try (`retryAttempts`, default 0).
    public var retryAttempts: Int
    /// Pause between tries (`retryDelay`, default 0).
    public var retryDelay: Duration
    /// HTTP version offered upstream (`httpVersion`, default `"2"`).
    public var httpVersion: UpstreamHTTPVersion

    public init(
        name: String,
        hosts: [HostPattern] = [],
        upstream: UpstreamURL,
        auth: AuthConfiguration = .none,
        tls: TLSConfiguration = TLSConfiguration(),
        proxy: ProxySettings = .platform,
        connectionTimeout: Duration = .seconds(60),
        endpoints: [EndpointTimeout] = [],
        retryAttempts: Int = 0,
        retryDelay: Duration = .zero,
        httpVersion: UpstreamHTTPVersion = .http2
    ) {
        self.name = name
        self.hosts = hosts
        self.upstream = upstream
        self.auth = auth
        self.tls = tls
        self.proxy = proxy
        self.connectionTimeout = connectionTimeout
        self.endpoints = endpoints
        self.retryAttempts = retryAttempts
        self.retryDelay = retryDelay
        self.httpVersion = httpVersion
    }
}

/// A host a route serves: `api.example.com` (any port) or `api.example.com:8443`.
public struct HostPattern: Sendable, Hashable, CustomStringConvertible {
    /// Lower-cased host name or address, without a trailing dot.
    public var host: String
    /// The port that must match; nil matches any port.
    public var port: Int?

    public init(host: String, port: Int? = nil) {
        self.host = host
        self.port = port
    }

    public var description: String { port.map { "\(host):\($0)" } ?? host }
}

/// The upstream a route forwards to: scheme, authority and an optional base path.
public struct UpstreamURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case http, https }

    public var scheme: Scheme
    /// Host as written (lower-cased); IPv6 literals without brackets.
    public var host: String
    /// Port as written; nil means the scheme's default.
    public var port: Int?
    /// Base path without a trailing slash ("" for none); the request path is appended.
    public var basePath: String

    public init(scheme: Scheme, host: String, port: Int? = nil, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// `scheme://host[:port]`.
    public var origin: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(scheme.rawValue)://\(hostPart):\($0)" } ?? "\(scheme.rawValue)://\(hostPart)"
    }

    public var description: String { origin + basePath }
}

/// A prefix of the client's request path with its own timeout (`endpoints`).
public struct EndpointTimeout: Sendable, Hashable {
    public var pathPrefix: String
    public var timeout: Duration

    public init(pathPrefix: String, timeout: Duration) {
        self.pathPrefix = pathPrefix
        self.timeout = timeout
    }
}

/// `httpVersion`: what token-proxy offers its upstream.
public enum UpstreamHTTPVersion: String, Sendable, Hashable {
    /// HTTP/2 where a TLS upstream offers it (ALPN), else HTTP/1.1.
    case http2 = "2"
    /// HTTP/1.1 only.
    case http1_1 = "1.1"
}
