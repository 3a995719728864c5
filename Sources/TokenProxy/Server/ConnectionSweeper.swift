// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// The open client connections of one event loop. Once a second it lets each
/// check its deadline (slow head, idle keep-alive): one timer per loop rather
/// than one per connection. On drain it closes the idle ones and asks the busy
/// ones to close after their response.
///
/// Confined to the loop's queue.
final class ConnectionSweeper {
    private let queue: DispatchQueue
    private var connections: [ObjectIdentifier: ClientConnection] = [:]
    private var timer: DispatchSourceTimer?
    private(set) var isDraining = false

    init(queue: DispatchQueue) {
        self.queue = queue
    }

    deinit {
        timer?.cancel()
    }

    func register(_ connection: ClientConnection) {
        connections[ObjectIdentifier(connection)] = connection
        startTimerIfNeeded()
    }

    func unregister(_ connection: ClientConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Closes idle connections now and the others once their response is written.
    func drain() {
        isDraining = true
        connections.values.forEach { $0.closeWhenIdle() }
    }

    private func startTimerIfNeeded() {
        guard timer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1), leeway: .milliseconds(100))
        timer.setEventHandler { [unowned self] in
            let now = ContinuousClock.now
            connections.values.forEach { $0.enforceDeadline(now: now) }
        }
        timer.resume()
        self.timer = timer
    }
}
