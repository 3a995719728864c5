// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc

/// A listening TCP socket. Accepted sockets, non-blocking and close-on-exec,
/// are handed to `onAccept` on the poller's queue.
///
/// `@unchecked Sendable` because it is confined to the poller's queue after `start()`.
final class Listener: @unchecked Sendable {
    /// The port actually bound (useful when the configuration asked for port 0).
    let port: Int
    private let queue: DispatchQueue
    private let watch: SocketWatch
    private let onAccept: (Int32) -> Void

    /// Binds and listens at once, so that a taken port is reported before start-up completes.
    init(address: HostPort, poller: SocketPoller, onAccept: @escaping (Int32) -> Void) throws(ListenerError) {
        let socket = try Self.bind(address)
        port = Self.localPort(of: socket)
        queue = poller.queue
        self.onAccept = onAccept
        watch = SocketWatch(socket: socket, poller: poller)
        watch.onEvent = { [unowned self] event in
            switch event {
            case .readable, .writable: acceptPending()
            case .unwatchable: pauseAccepting()
            }
        }
    }

    func start() {
        queue.async { [self] in
            watch.watch(read: true, write: false)
        }
    }

    /// Stops accepting and closes the socket.
    func stop() {
        queue.async { [self] in watch.close() }
    }

    private func acceptPending() {
        while true {
            do {
                switch try systemCall("accept", { accept(watch.socket, nil, nil) }) {
                case .done(let client):
                    configure(client)
                    onAccept(client)
                case .wouldBlock:
                    return
                }
            } catch {
                if error.errno == EMFILE || error.errno == ENFILE {
                    pauseAccepting()
                }
                // Other failures (ECONNABORTED and the like) concern one connection; the listener goes on.
                return
            }
        }
    }

    /// Out of descriptors: the pending connection stays in the backlog, and the listener would fire
    /// again at once. Wait a moment for connections to close instead of spinning.
    private func pauseAccepting() {
        watch.watch(read: false, write: false)
        queue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in
            watch.watch(read: true, write: false)
        }
    }

    private func configure(_ client: Int32) {
        // accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC is not visible to Swift's Glibc module.
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        // Responses go out as soon as they are complete, not after the client's delayed ACK.
        var one: Int32 = 1
        _ = setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
}
