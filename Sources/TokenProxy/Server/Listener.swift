// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc

/// A listening TCP or Unix socket. Accepted sockets, non-blocking and close-on-exec,
/// are handed to `onAccept` with their peer on the poller's queue. A Unix socket's
/// file is removed when the listener stops.
///
/// `@unchecked Sendable` because it is confined to the poller's queue after `start()`.
final class Listener: @unchecked Sendable {
    /// The port actually bound (useful when the configuration asked for port 0); 0 on a Unix socket.
    let port: Int
    private let address: ListenAddress
    private let queue: DispatchQueue
    private let watch: SocketWatch
    private let onAccept: (Int32, ClientPeer) -> Void

    /// Binds and listens at once, so that a taken port is reported before start-up completes.
    /// - Parameter socketMode: the permission bits of a Unix socket's file.
    init(
        address: ListenAddress, socketMode: Int, poller: SocketPoller,
        onAccept: @escaping (Int32, ClientPeer) -> Void
    ) throws(ListenerError) {
        let socket: Int32
        switch address {
        case .tcp(let hostPort):
            socket = try Self.bind(hostPort)
            port = Self.localPort(of: socket)
        case .unixSocket(let path):
            socket = try Self.bindUnixSocket(at: path, mode: socketMode)
            port = 0
        }
        self.address = address
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

    /// Stops accepting and closes the socket; a Unix socket's file goes too.
    func stop() {
        // At once rather than on the queue: the process may exit before the queue comes round.
        if case .unixSocket(let path) = address { Self.removeSocketFile(at: path) }
        queue.async { [self] in watch.close() }
    }

    private func acceptPending() {
        while true {
            do {
                var storage = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let accepted = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemError) in
                    try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemError) in
                        try systemCall("accept") { accept(watch.socket, address, &length) }
                    }
                }
                switch accepted {
                case .done(let client):
                    configure(client)
                    onAccept(client, ClientPeer(socket: client, address: storage))
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
        guard case .tcp = address else { return }
        // Responses go out as soon as they are complete, not after the client's delayed ACK.
        var one: Int32 = 1
        _ = setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
}
