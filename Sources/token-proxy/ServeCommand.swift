// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Logging
import Metrics
import Prometheus
import TokenProxy

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the proxy (the default command).",
        discussion: """
            SIGTERM or SIGINT: stop accepting, let requests in flight finish (up to drainTimeout), exit 0.
            SIGHUP, or a change to the configuration file, a ${file:} target or a store: reload; \
            if the new configuration is unusable, keep serving with the old one.
            """)

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let source = ConfigurationSource(path: config.resolvedPath, environment: config.environment)
        let configuration: ProxyConfiguration
        do {
            configuration = try source.load()
        } catch {
            throw StartupError.configuration(error)
        }
        AllocatorThresholds.fix()
        let logger = ProcessLogging.bootstrap(configuration.logging)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        // Signals are caught before the listener opens (ProxyServer binds and listens at once), so none
        // can kill a process that already takes connections.
        let termination = TerminationSignals()
        let reloader = Reloader(source: source, logger: logger)
        let server = try ProxyServer(
            configuration: configuration, environment: config.environment, logger: logger,
            metrics: {
                var text: [UInt8] = []
                registry.emit(into: &text)
                return text
            })
        reloader.start(serving: server)
        server.start()
        logger.info(
            "token-proxy listening",
            metadata: [
                "listen": "\(configuration.listen)",
                "admin": "\(configuration.admin.map(\.description) ?? "-")",
            ])
        if let warning = configuration.protectedModeWarning { logger.warning("\(warning)") }

        let signal = await termination.wait()
        logger.info("stopping: requests in flight may finish", metadata: ["signal": "\(signal)"])
        server.stop()
        let drained = await server.drain(timeout: configuration.drainTimeout)
        logger.info(drained ? "stopped" : "stopped with requests still in flight after drainTimeout")
    }
}
