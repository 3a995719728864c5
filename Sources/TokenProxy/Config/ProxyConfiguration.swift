// SPDX-License-Identifier: Apache-2.0

/// The whole, validated configuration of one token-proxy process.
///
/// Built once by `ConfigurationLoader` before anything starts (and again on
/// reload); the running parts never read files or the environment themselves.
public struct ProxyConfiguration: Sendable, Equatable {
    /// Where client apps connect (`listen`, default `127.0.0.1:8080`).
    public var listen: ListenAddress
    /// Where `/healthz`, `/readyz` and `/metrics` are served (`admin`); nil: no admin listener.
    public var admin: HostPort?
    /// The routes, in the order written; at least one.
    public var routes: [RouteConfiguration]
    /// How log lines are written (`logFormat`, `logLevel`).
    public var logging: LoggingSettings
    /// How long `SIGTERM` waits for requests in flight (`drainTimeout`, default 20 s).
    public var drainTimeout: Duration
    /// Bounds on client connections (`limits`).
    public var limits: ConnectionLimits
    /// Who may use the proxy (`clients`).
    public var clients: ClientsSettings
    /// TLS interception of `CONNECT` tunnels (`intercept`); nil: none.
    public var intercept: InterceptSettings?

    public init(
        listen: ListenAddress, admin: HostPort?, routes: [RouteConfiguration],
        logging: LoggingSettings = LoggingSettings(), drainTimeout: Duration = .seconds(20),
        limits: ConnectionLimits = .default, clients: ClientsSettings = ClientsSettings(),
        intercept: InterceptSettings? = nil
    ) {
        self.listen = listen
        self.admin = admin
        self.routes = routes
        self.logging = logging
        self.drainTimeout = drainTimeout
        self.limits = limits
        self.clients = clients
        self.intercept = intercept
    }

    public static let defaultListen = ListenAddress.tcp(HostPort(host: "127.0.0.1", port: 8080))
}

/// A `host:port` pair, as written in `listen` and `admin`.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
