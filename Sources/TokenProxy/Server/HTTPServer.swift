// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// A listener whose connections are spread round robin over event loops, each
/// answered by that loop's `RequestHandler`.
///
/// `@unchecked Sendable` because each handler is used only on its own loop's queue,
/// and the round-robin counter only on the accept queue.
final class HTTPServer: @unchecked Sendable {
    /// The bound port (the configured one, or the one the system chose for port 0).
    var port: Int { listener.port }

    private let loops: [EventLoop]
    private let handlers: [RequestHandler]
    private let limits: ConnectionLimits
    private let acceptQueue: DispatchQueue
    private var listener: Listener!
    private var nextLoop = 0

    /// Binds at once, so that a taken port is an error before start-up completes.
    /// - Parameter handlers: one per loop, in the same order.
    init(address: HostPort, loops: [EventLoop], handlers: [RequestHandler], limits: ConnectionLimits) throws(ListenerError) {
        precondition(loops.count == handlers.count && !loops.isEmpty, "one handler per loop")
        self.loops = loops
        self.handlers = handlers
        self.limits = limits
        acceptQueue = DispatchQueue(label: "token-proxy.accept.\(address)")
        listener = try Listener(address: address, queue: acceptQueue) { [unowned self] in hand($0) }
    }

    func start() {
        listener.start()
    }

    /// Stops accepting; connections already open go on.
    func stop() {
        listener.stop()
    }

    /// Gives an accepted socket to the next loop. Runs on the accept queue.
    private func hand(_ socket: Int32) {
        let index = nextLoop
        nextLoop = (nextLoop + 1) % loops.count
        let (loop, handler, limits) = (loops[index], handlers[index], limits)
        loop.queue.async {
            ClientConnection(socket: socket, queue: loop.queue, handler: handler, limits: limits).start()
        }
    }
}
