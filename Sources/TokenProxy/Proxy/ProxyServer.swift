// SPDX-License-Identifier: Apache-2.0
import Logging

/// A running token-proxy: one event loop per core, the listener for client
/// apps, and the routes with their token sources.
public final class ProxyServer: Sendable {
    /// The port client apps connect to (the configured one, or the one bound for port 0).
    public var port: Int { server.port }

    private let loops: [EventLoop]
    private let routes: [Route]
    private let server: HTTPServer

    public init(
        configuration: ProxyConfiguration, environment: [String: String], logger: Logger,
        loopCount: Int = System.coreCount, limits: ConnectionLimits = .default
    ) throws(StartupError) {
        let loops = (0..<max(loopCount, 1)).map(EventLoop.init(index:))
        let routes = try RouteFactory.makeRoutes(
            configuration, platform: PlatformProxy(environment: environment), tokenHome: loops[0].multi, logger: logger)
        do {
            server = try HTTPServer(
                address: configuration.listen, loops: loops,
                handlers: loops.map { ProxyHandler(routes: routes, loop: $0, logger: logger) }, limits: limits)
        } catch {
            throw .listener(error)
        }
        self.loops = loops
        self.routes = routes
    }

    /// Starts accepting client connections and fetches the first tokens.
    public func start() {
        server.start()
        for route in routes {
            if case .clientCredentials(let source) = route.credentials { source.prefetch() }
        }
    }

    /// Stops accepting client connections.
    public func stop() {
        server.stop()
    }
}
