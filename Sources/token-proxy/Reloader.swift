// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc
import Logging
import TokenProxy

/// Reloads the configuration on `SIGHUP`, and when a file it draws on changes
/// (checked every two seconds: Kubernetes rotates mounted secrets by swapping
/// symlinks, which file events miss). A configuration that fails to load or
/// open keeps the old one serving.
///
/// `@unchecked Sendable` because it is confined to its own serial queue.
final class Reloader: @unchecked Sendable {
    static let pollInterval = DispatchTimeInterval.seconds(2)

    private let source: ConfigurationSource
    private let server: ProxyServer
    private let logger: Logger
    private let queue = DispatchQueue(label: "token-proxy.reload")
    private var sources: [DispatchSourceProtocol] = []

    init(source: ConfigurationSource, server: ProxyServer, logger: Logger) {
        self.source = source
        self.server = server
        self.logger = logger
    }

    func start() {
        signal(SIGHUP, SIG_IGN)
        let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangUp.setEventHandler { [self] in reload(reason: "SIGHUP") }
        let poll = DispatchSource.makeTimerSource(queue: queue)
        poll.schedule(deadline: .now() + Self.pollInterval, repeating: Self.pollInterval)
        poll.setEventHandler { [self] in
            if source.hasChanged() { reload(reason: "a configuration, secret or store file changed") }
        }
        sources = [hangUp, poll]
        sources.forEach { $0.resume() }
    }

    private func reload(reason: String) {
        do {
            let configuration = try source.load()
            try server.reload(configuration)
            logger.info("configuration reloaded", metadata: ["reason": "\(reason)"])
        } catch {
            logger.error(
                "configuration not reloaded; serving with the previous one: \(error)",
                metadata: ["reason": "\(reason)"])
        }
    }
}
