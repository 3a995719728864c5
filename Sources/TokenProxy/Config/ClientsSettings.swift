// SPDX-License-Identifier: Apache-2.0

/// `clients`: who may use the proxy's listener, and so spend the routes' credentials.
public struct ClientsSettings: Sendable, Equatable {
    /// `clients.allow`: the networks whose TCP peers are served; nil when not written,
    /// which serves loopback peers only (`IPNetwork.loopback`).
    public var allow: [IPNetwork]?
    /// `clients.user` and `clients.password`: when set, every request must carry them
    /// in `Proxy-Authorization: Basic`.
    public var credentials: ProxyCredentials?
    /// `clients.socketMode`: the permission bits of a `unix:` listener's socket file.
    public var socketMode: Int

    public init(allow: [IPNetwork]? = nil, credentials: ProxyCredentials? = nil, socketMode: Int = 0o660) {
        self.allow = allow
        self.credentials = credentials
        self.socketMode = socketMode
    }

    /// The networks served: `allow`, or loopback when it is not written.
    public var allowedNetworks: [IPNetwork] { allow ?? IPNetwork.loopback }
}

/// The user and password client apps present to token-proxy.
public struct ProxyCredentials: Sendable, Equatable {
    public var user: String
    public var password: Secret

    public init(user: String, password: Secret) {
        self.user = user
        self.password = password
    }
}
