// SPDX-License-Identifier: Apache-2.0
import Logging

/// `token-proxy demo`: a token endpoint and an echo API on loopback, and a
/// proxy in front of them configured like a real client-credentials route for
/// `api.demo.test`, which HTTPS apps reach through `CONNECT` with a local CA.
public final class Demo: Sendable {
    /// The host the demo route names; requests for any other host are refused.
    public static let host = "api.demo.test"

    /// The demo route, intercepting with the demo's CA.
    public let configuration: ProxyConfiguration
    /// The demo's CA, made as `token-proxy ca init` makes one; HTTPS clients trust its `ca.pem`.
    public let authority: CreatedAuthority
    private let services: [HTTPServer]
    private let proxy: ProxyServer

    public init(listen: HostPort, authority: CreatedAuthority, logger: Logger) throws(StartupError) {
        self.authority = authority
        let loop = EventLoop(index: 0)
        let loopback = ListenAddress.tcp(HostPort(host: "127.0.0.1", port: 0))
        do throws(ListenerError) {
            services = [
                try HTTPServer(address: loopback, loops: [loop], handlers: [DemoTokenEndpoint()], limits: .default),
                try HTTPServer(address: loopback, loops: [loop], handlers: [DemoEchoUpstream()], limits: .default),
            ]
        } catch {
            throw .listener(error)
        }
        let credentials = ClientCredentials(
            accessTokenURL: "http://127.0.0.1:\(services[0].port)/token", clientID: DemoTokenEndpoint.clientID,
            clientSecret: Secret(DemoTokenEndpoint.clientSecret), scope: "demo.read",
            clientAuthentication: .header)
        configuration = ProxyConfiguration(
            listen: .tcp(listen), admin: nil,
            routes: [
                // Named, not the default route: only a host a route names is ever tunnelled.
                RouteConfiguration(
                    name: "demo", hosts: [HostPattern(host: Self.host)],
                    upstream: UpstreamURL(scheme: .http, host: "127.0.0.1", port: services[1].port),
                    auth: .clientCredentials(credentials), proxy: .none)
            ],
            intercept: authority.interceptSettings)
        // The demo talks to loopback only, so the environment's proxy settings must not apply.
        proxy = try ProxyServer(configuration: configuration, environment: [:], logger: logger)
    }

    /// The port the demo proxy listens on.
    public var port: Int { proxy.port }

    public func start() {
        services.forEach { $0.start() }
        proxy.start()
    }

    /// Commands that send a request through the demo proxy and show the injected token:
    /// as an `http://` URL, and as an `https://` URL through an intercepted `CONNECT` tunnel.
    public var curlCommands: [String] {
        [
            "curl -s -x http://127.0.0.1:\(port) http://\(Self.host)/hello",
            "curl -s --cacert \(authority.certificatePath) -x http://127.0.0.1:\(port) https://\(Self.host)/hello",
        ]
    }
}
