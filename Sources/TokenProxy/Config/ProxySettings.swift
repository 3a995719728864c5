// SPDX-License-Identifier: Apache-2.0

/// `proxy.*`: how a route reaches its upstream.
public enum ProxySettings: Sendable, Equatable {
    /// `none`: direct, whatever the environment says.
    case none
    /// `platform`: the environment's `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`.
    case platform
    /// `custom`: the proxy named by `proxy.host` and `proxy.port`.
    case custom(CustomProxy)
}

/// A chained proxy named in the configuration.
public struct CustomProxy: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: Secret?

    public init(host: String, port: Int, user: String? = nil, password: Secret? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
    }
}
