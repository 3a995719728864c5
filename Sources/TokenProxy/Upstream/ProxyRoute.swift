// SPDX-License-Identifier: Apache-2.0

/// The way out for one request: direct, or through a chained HTTP proxy.
///
/// Resolved in Swift rather than left to curl, because curl on its own ignores
/// upper-case `HTTP_PROXY` and would let the environment leak into `none`.
enum ProxyRoute: Sendable, Equatable {
    case direct
    case through(ChainedProxy)

    /// The proxy for a request to a URL of `scheme`, under a route's settings.
    init(settings: ProxySettings, scheme: UpstreamURL.Scheme, platform: PlatformProxy) {
        switch settings {
        case .none:
            self = .direct
        case .custom(let proxy):
            self = .through(
                ChainedProxy(
                    url: "http://\(HostPort(host: proxy.host, port: proxy.port))",
                    user: proxy.user, password: proxy.password, noProxy: nil))
        case .platform:
            self = platform.route(for: scheme)
        }
    }
}

/// A chained proxy curl should use (`CURLOPT_PROXY` and friends).
struct ChainedProxy: Sendable, Equatable {
    /// `http://host:port`, as curl takes it; from the environment it may also hold credentials.
    var url: String
    var user: String?
    var password: Secret?
    /// Hosts that bypass the proxy, in `NO_PROXY` syntax.
    var noProxy: String?

    /// `host:port` without scheme, path or credentials: what messages and logs may show.
    var address: Substring {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        rest = rest.prefix { $0 != "/" }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return rest
    }

    /// Whether a failed try failed at this proxy rather than beyond it.
    ///
    /// A refused `CONNECT` or an unresolvable proxy is the proxy's by its code. A refused
    /// connection is the proxy's when every request goes through it: curl 7.88 does not say
    /// whether `NO_PROXY` let it dial the upstream instead, so then it is not claimed.
    func caused(_ error: CurlError) -> Bool {
        switch error.kind {
        case .proxy: true
        case .connect: noProxy == nil
        default: false
        }
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

    func route(for scheme: UpstreamURL.Scheme) -> ProxyRoute {
        guard let url = scheme == .https ? httpsProxy : httpProxy else { return .direct }
        return .through(ChainedProxy(url: url, user: nil, password: nil, noProxy: noProxy))
    }
}
