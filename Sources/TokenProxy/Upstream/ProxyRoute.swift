// SPDX-License-Identifier: Apache-2.0

/// The way out for one request: direct, or through a chained HTTP proxy.
///
/// Resolved in Swift rather than left to curl, because curl on its own ignores
/// upper-case `HTTP_PROXY` and would let the environment leak into `none`; and
/// `NO_PROXY` with it, so that a route knows whether its connections are the proxy's.
enum ProxyRoute: Sendable, Equatable {
    case direct
    case through(ChainedProxy)

    /// The proxy for requests to `host` by `scheme`, under a route's settings.
    init(settings: ProxySettings, scheme: UpstreamURL.Scheme, host: String, platform: PlatformProxy) {
        switch settings {
        case .none:
            self = .direct
        case .custom(let proxy):
            self = .through(
                ChainedProxy(
                    url: "http://\(HostPort(host: proxy.host, port: proxy.port))",
                    user: proxy.user, password: proxy.password))
        case .platform:
            self = platform.route(for: scheme, host: host)
        }
    }
}

/// A chained proxy curl should use (`CURLOPT_PROXY` and friends).
struct ChainedProxy: Sendable, Equatable {
    /// `http://host:port`, as curl takes it; from the environment it may also hold credentials.
    var url: String
    var user: String?
    var password: Secret?

    /// `host:port` without scheme, path or credentials: what messages and logs may show.
    var address: Substring {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        rest = rest.prefix { $0 != "/" }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return rest
    }

    /// Whether a failed try failed at this proxy rather than beyond it: a refused `CONNECT` or an
    /// unresolvable proxy by its code, and a connection that did not come up, since every connection
    /// of a route through a proxy is to the proxy (`NO_PROXY` was decided when the route was made).
    func caused(_ error: CurlError) -> Bool {
        error.kind == .proxy || error.kind == .connect
    }
}

/// The proxy settings of the process environment (`HTTPS_PROXY`, `HTTP_PROXY`,
/// `NO_PROXY`, either case), read once at start-up.
public struct PlatformProxy: Sendable, Equatable {
    public var httpsProxy: String?
    public var httpProxy: String?
    public var noProxy: String?

    public init(environment: [String: String]) {
        // The lower-case name first, as curl reads it; an empty value counts as unset.
        func lookUp(_ name: String) -> String? {
            [name.lowercased(), name].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        httpsProxy = lookUp("HTTPS_PROXY")
        httpProxy = lookUp("HTTP_PROXY")
        noProxy = lookUp("NO_PROXY")
    }

    /// The way to `host` by `scheme`: direct when there is no proxy for the scheme or `NO_PROXY` names the host.
    func route(for scheme: UpstreamURL.Scheme, host: String) -> ProxyRoute {
        guard let url = scheme == .https ? httpsProxy : httpProxy,
            !NoProxyList(noProxy ?? "").bypasses(host: host)
        else { return .direct }
        return .through(ChainedProxy(url: url, user: nil, password: nil))
    }
}
