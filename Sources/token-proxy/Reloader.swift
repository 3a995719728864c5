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
/// Create it before the listener opens, as `TerminationSignals`: `SIGHUP` is caught from then
/// on, and one that comes before `start(serving:)` is carried out there. Its default action
/// would end a process that already takes connections.
///
/// `@unchecked Sendable` because it is confined to its own serial queue.
final class Reloader: @unchecked Sendable {
    static let pollInterval = DispatchTimeInterval.seconds(2)

    private let source: ConfigurationSource
    private let logger: Logger
    private let queue = DispatchQueue(label: "token-proxy.reload")
    private let hangUp: DispatchSourceSignal
    private var poll: DispatchSourceTimer?
    private var server: ProxyServer?
    private var hungUpBeforeStart = false

    init(source: ConfigurationSource, logger: Logger) {
        self.source = source
        self.logger = logger
        signal(SIGHUP, SIG_IGN)
        hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangUp.setEventHandler { [self] in
            guard let server else {
                hungUpBeforeStart = true
                return
            }
            reload(server, reason: "SIGHUP")
        }
        hangUp.resume()
    }

    /// Reloads into `server` from now on.
    func start(serving server: ProxyServer) {
        queue.async { [self] in
            self.server = server
            if hungUpBeforeStart { reload(server, reason: "SIGHUP") }
            let poll = DispatchSource.makeTimerSource(queue: queue)
            poll.schedule(deadline: .now() + Self.pollInterval, repeating: Self.pollInterval)
            poll.setEventHandler { [self] in
                if source.hasChanged() { reload(server, reason: "a configuration, secret or store file changed") }
            }
            poll.resume()
            self.poll = poll
        }
    }

    private func reload(_ server: ProxyServer, reason: String) {
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
