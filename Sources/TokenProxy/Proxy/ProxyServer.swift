// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Logging
import Synchronization

/// A running token-proxy: one event loop per core, the listener for client
/// apps, the admin listener, and the routes with their token sources.
public final class ProxyServer: Sendable {
    /// The port client apps connect to.
    public var port: Int { server.port }
    /// The admin listener's port, when one is configured.
    public var adminPort: Int? { admin?.port }

    private let listen: ListenAddress
    private let factory: RouteFactory
    private let installed: InstalledRoutes
    private let handlers: [ProxyHandler]
    private let server: HTTPServer
    private let admin: HTTPServer?
    private let inFlight = DispatchGroup()
    private let logger: Logger

    /// Opens the stores and binds the listeners; nothing is served before `start()`.
    /// - Parameter metrics: the process's metrics in Prometheus text format, for `/metrics`.
    public init(
        configuration: ProxyConfiguration, environment: [String: String], logger: Logger,
        metrics: @escaping @Sendable () -> [UInt8] = { [] }, loopCount: Int = System.coreCount
    ) throws(StartupError) {
        let loops = (0..<max(loopCount, 1)).map(EventLoop.init(index:))
        factory = RouteFactory(
            platform: PlatformProxy(environment: environment), tokenHome: loops[0].multi, logger: logger)
        let routeSet = try factory.makeRoutes(configuration)
        let installed = InstalledRoutes(routeSet)
        let access = ClientAccess(configuration.clients)
        let interception = try Self.interception(configuration, logger: logger)
        handlers = loops.map { [inFlight] in
            ProxyHandler(
                routes: routeSet, access: access, interception: interception, loop: $0, inFlight: inFlight,
                logger: logger)
        }
        // Each listener listens as soon as it is bound. The admin one comes last, so a readiness probe
        // that answers means clients can connect too.
        do throws(ListenerError) {
            server = try HTTPServer(
                address: configuration.listen, socketMode: configuration.clients.socketMode, loops: loops,
                handlers: handlers, limits: configuration.limits)
            admin = try configuration.admin.map { address throws(ListenerError) in
                let handler = AdminHandler(routes: { installed.routes }, metrics: metrics)
                return try HTTPServer(
                    address: .tcp(address), loops: [loops[0]], handlers: [handler], limits: .default)
            }
        } catch {
            throw .listener(error)
        }
        self.installed = installed
        listen = configuration.listen
        self.logger = logger
    }

    /// Starts accepting client connections and fetches the first tokens.
    public func start() {
        server.start()
        admin?.start()
        installed.routes.tokenSources.forEach { $0.prefetch() }
    }

    /// Stops accepting client connections; requests in flight go on.
    public func stop() {
        server.stop()
        admin?.stop()
    }

    /// Waits until every request in flight has been answered, or `timeout`; returns whether all were.
    public func drain(timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            let finished = Mutex(false)
            let resume: @Sendable (Bool) -> Void = { drained in
                guard
                    finished.withLock({ done in
                        defer { done = true }; return !done
                    })
                else { return }
                continuation.resume(returning: drained)
            }
            inFlight.notify(queue: .global()) { resume(true) }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout.milliseconds))) {
                resume(false)
            }
        }
    }

    /// Serves with a new configuration: stores are read again, and a route whose client
    /// credentials are unchanged keeps its token. On error the old configuration stays.
    public func reload(_ configuration: ProxyConfiguration) throws(StartupError) {
        if configuration.listen != listen {
            logger.warning("listen changed; the new address takes effect only after a restart")
        }
        let previous = installed.routes
        let next = try factory.makeRoutes(configuration, previous: previous)
        let interception = try Self.interception(configuration, logger: logger)
        installed.routes = next
        let access = ClientAccess(configuration.clients)
        handlers.forEach { $0.install(next, access: access, interception: interception) }
        let kept = Set(previous.tokenSources.map(ObjectIdentifier.init))
        next.tokenSources.filter { !kept.contains(ObjectIdentifier($0)) }.forEach { $0.prefetch() }
    }

    /// Opens the intercept CA, read afresh at start-up and on each reload, and logs its warnings.
    private static func interception(_ configuration: ProxyConfiguration, logger: Logger) throws(StartupError)
        -> Interception?
    {
        guard let settings = configuration.intercept else { return nil }
        let interception = try Interception.load(settings)
        interception.authority.warnings.forEach { logger.warning("\($0)") }
        return interception
    }
}
