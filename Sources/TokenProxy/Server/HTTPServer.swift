// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc
import Synchronization

/// A listener whose connections are spread round robin over event loops, each
/// answered by that loop's `RequestHandler`, at most `maxConnections` at once.
///
/// `@unchecked Sendable` because each handler is used only on its own loop's queue,
/// and the round-robin counter only on the accept queue.
final class HTTPServer: @unchecked Sendable {
    /// The bound port (the configured one, or the one the system chose for port 0).
    var port: Int { listener.port }

    private let loops: [EventLoop]
    private let handlers: [RequestHandler]
    private let limits: ConnectionLimits
    /// Shared by the connections of every loop.
    private let budgets: ConnectionBudgets
    private let acceptPoller: SocketPoller
    private let openConnections = Atomic<Int>(0)
    private var listener: Listener!
    private var nextLoop = 0

    /// Binds at once, so that a taken port is an error before start-up completes.
    /// - Parameter handlers: one per loop, in the same order.
    /// - Parameter socketMode: the permission bits of a Unix socket's file.
    init(
        address: ListenAddress, socketMode: Int = 0o660, loops: [EventLoop], handlers: [RequestHandler],
        limits: ConnectionLimits
    ) throws(ListenerError) {
        precondition(loops.count == handlers.count && !loops.isEmpty, "one handler per loop")
        self.loops = loops
        self.handlers = handlers
        self.limits = limits
        budgets = ConnectionBudgets(limits)
        acceptPoller = SocketPoller(
            queue: DispatchQueue(label: "token-proxy.accept.\(address)"), threadName: "tp-accept")
        listener = try Listener(address: address, socketMode: socketMode, poller: acceptPoller) {
            [unowned self] in hand($0, from: $1)
        }
    }

    func start() {
        listener.start()
    }

    /// Stops accepting; idle keep-alive connections close, busy ones after their response.
    func stop() {
        listener.stop()
        for loop in loops {
            loop.queue.async { loop.sweeper.drain() }
        }
    }

    /// Gives an accepted socket to the next loop. Runs on the accept queue.
    private func hand(_ socket: Int32, from peer: ClientPeer) {
        guard openConnections.add(1, ordering: .relaxed).newValue <= limits.maxConnections else {
            openConnections.subtract(1, ordering: .relaxed)
            refuse(socket)
            return
        }
        let index = nextLoop
        nextLoop = (nextLoop + 1) % loops.count
        let (loop, handler) = (loops[index], handlers[index])
        loop.queue.async { [self] in
            ClientConnection(
                socket: socket, peer: peer, loop: loop, handler: handler, limits: limits, budgets: budgets
            ) { [self] in
                openConnections.subtract(1, ordering: .relaxed)
            }.start()
        }
    }

    /// Answers a connection over the limit with `503` and closes it, without giving it a loop:
    /// the connections in flight keep their share. The write is best effort on a fresh socket.
    private func refuse(_ socket: Int32) {
        let error = ProxyError.tooManyConnections(limit: limits.maxConnections)
        let body = error.jsonBody
        let head =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + body
        _ = response.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(socket)
    }
}
