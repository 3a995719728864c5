// SPDX-License-Identifier: Apache-2.0
import Logging

/// `token-proxy demo`: a token endpoint and an echo API on loopback, and a
/// proxy in front of them configured like a real client-credentials route.
public final class Demo: Sendable {
    /// The route the demo proxy serves (any host: it is the default route).
    public let configuration: ProxyConfiguration
    private let services: [HTTPServer]
    private let proxy: ProxyServer

    public init(listen: HostPort, logger: Logger) throws(StartupError) {
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
                RouteConfiguration(
                    name: "demo", upstream: UpstreamURL(scheme: .http, host: "127.0.0.1", port: services[1].port),
                    auth: .clientCredentials(credentials), proxy: .none)
            ])
        // The demo talks to loopback only, so the environment's proxy settings must not apply.
        proxy = try ProxyServer(configuration: configuration, environment: [:], logger: logger)
    }

    /// The port the demo proxy listens on.
    public var port: Int { proxy.port }

    public func start() {
        services.forEach { $0.start() }
        proxy.start()
    }

    /// A command that sends a request through the demo proxy and shows the injected token.
    public var curlCommand: String {
        "curl -s -x http://127.0.0.1:\(port) http://api.demo.test/hello"
    }
}
