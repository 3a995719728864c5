// SPDX-License-Identifier: Apache-2.0
import CEpoll
import Dispatch
import Glibc

/// The readiness of every socket one event loop watches, from one epoll instance.
///
/// Confined to `queue`. A single Dispatch read source on the epoll descriptor
/// wakes the queue when any socket is ready, and one turn then handles every
/// ready socket. A Dispatch source per socket would cost a round trip through
/// Dispatch's manager thread (and an `epoll_ctl` to re-arm) for each event;
/// here that cost is paid once per batch, and a socket's interest changes
/// with one `epoll_ctl` only when it widens (see `SocketWatch`).
final class SocketPoller {
    let queue: DispatchQueue
    private let epoll: Int32
    private let source: DispatchSourceRead
    private var watches: [UInt64: SocketWatch] = [:]
    private var lastToken: UInt64 = 0
    private let ready: UnsafeMutablePointer<tp_epoll_ready>
    private static let batchCapacity: Int32 = 128
    /// How many batches one turn handles before it lets the queue run other work.
    private static let batchesPerTurn = 4
    /// The log lines a turn writes, written in one go when it ends.
    private let lines = LineBatch()

    init(queue: DispatchQueue) {
        let epoll = tp_epoll_create()
        precondition(epoll >= 0, "epoll_create1 failed: \(String(cString: strerror(errno)))")
        self.queue = queue
        self.epoll = epoll
        ready = .allocate(capacity: Int(Self.batchCapacity))
        source = DispatchSource.makeReadSource(fileDescriptor: epoll, queue: queue)
        source.setEventHandler { [unowned self] in lines.gathering(handleReadySockets) }
        source.setCancelHandler { Glibc.close(epoll) }
        source.resume()
    }

    deinit {
        source.cancel()
        ready.deallocate()
    }

    /// A token for a new watch; the poller keeps the watch until `remove(_:)`.
    func add(_ watch: SocketWatch) -> UInt64 {
        lastToken += 1
        watches[lastToken] = watch
        return lastToken
    }

    /// Makes epoll watch `watch`'s socket for exactly `events` (none: not at all).
    /// - Returns: false if epoll refused (out of memory, or the watch limit reached).
    func register(_ watch: SocketWatch, events: UInt32, previously: UInt32) -> Bool {
        let result: Int32 =
            switch (previously, events) {
            case (0, 0): 0
            case (0, _): tp_epoll_add(epoll, watch.socket, events, watch.token)
            case (_, 0): tp_epoll_delete(epoll, watch.socket)
            default: tp_epoll_modify(epoll, watch.socket, events, watch.token)
            }
        return result == 0
    }

    /// Forgets `watch`; events already read for it are dropped.
    func remove(_ watch: SocketWatch) {
        watches[watch.token] = nil
    }

    private func handleReadySockets() {
        for _ in 0..<Self.batchesPerTurn {
            let count = tp_epoll_poll(epoll, ready, Self.batchCapacity)
            guard count > 0 else { return }
            for index in 0..<Int(count) {
                // A socket closed earlier in this batch has left `watches`, and its number may
                // already belong to a new socket: the token, not the descriptor, finds the watch.
                guard let watch = watches[ready[index].token] else { continue }
                watch.deliver(ready[index].events)
            }
        }
    }
}
