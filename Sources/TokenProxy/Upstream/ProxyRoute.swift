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
                ChainedProxy(url: "http://\(HostPort(host: proxy.host, port: proxy.port))",
                             user: proxy.user, password: proxy.password, noProxy: nil))
        case .platform:
            self = platform.route(for: scheme)
        }
    }
}

/// A chained proxy curl should use (`CURLOPT_PROXY` and friends).
struct ChainedProxy: Sendable, Equatable {
    /// `http://host:port`, as curl takes it.
    var url: String
    var user: String?
    var password: Secret?
    /// Hosts that bypass the proxy, in `NO_PROXY` syntax.
    var noProxy: String?
}

/// The proxy settings of the process environment (`HTTPS_PROXY`, `HTTP_PROXY`,
/// `NO_PROXY`, either case), read once at start-up.
public struct PlatformProxy: Sendable, Equatable {
    public var httpsProxy: String?
    public var httpProxy: String?
    public var noProxy: String?

    public init(environment: [String: String]) {
        func lookUp(_ name: String) -> String? {
            let value = environment[name.lowercased()] ?? environment[name]
            return value?.isEmpty == false ? value : nil
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
