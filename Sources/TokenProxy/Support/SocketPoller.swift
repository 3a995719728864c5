// SPDX-License-Identifier: Apache-2.0
import CEpoll
import Dispatch
import Foundation
import Glibc

/// The readiness of every socket one event loop watches, from one epoll instance, and the
/// loop's turns.
///
/// A thread of its own blocks in `epoll_wait` and runs each batch of ready sockets on the
/// loop's queue with `queue.sync`, which runs it right on this thread whenever the queue is
/// idle. So a ready socket costs one `epoll_wait` per batch and no hand-off between threads:
/// a Dispatch read source on the epoll descriptor took a trip through Dispatch's manager
/// thread and a wake-up of a worker thread for each batch, which on a busy core cost more
/// than the batch's own work. Work posted with `queue.async` (timers, other loops) still
/// runs on Dispatch's threads, between batches.
///
/// A socket's interest changes with one `epoll_ctl` only when it widens (see `SocketWatch`).
/// Confined to `queue`, except for the waiting thread's own descriptors and buffer.
final class SocketPoller: @unchecked Sendable {
    let queue: DispatchQueue
    private let epoll: Int32
    /// Makes the waiting thread return from `epoll_wait` and end, once the poller is gone.
    private let wakeUp: Int32
    private var watches: [UInt64: SocketWatch] = [:]
    /// Watches get tokens from 1; 0 is the wake-up descriptor's.
    private var lastToken: UInt64 = 0
    private static let wakeUpToken: UInt64 = 0
    private static let batchCapacity: Int32 = 128
    /// What runs once the current turn's events are handled (see `afterTurn`).
    private var turnEndWork: [() -> Void] = []
    private var isInTurn = false
    /// The log lines a turn writes, written in one go when it ends.
    private let lines = LineBatch()

    /// - Parameter threadName: the waiting thread's name, as `top -H` shows it (at most 15 bytes).
    init(queue: DispatchQueue, threadName: String) {
        let epoll = tp_epoll_create()
        let wakeUp = tp_event_create()
        precondition(epoll >= 0 && wakeUp >= 0, "epoll or eventfd failed: \(String(cString: strerror(errno)))")
        precondition(tp_epoll_add(epoll, wakeUp, UInt32(TP_EPOLL_IN), Self.wakeUpToken) == 0, "epoll_ctl failed")
        self.queue = queue
        self.epoll = epoll
        self.wakeUp = wakeUp
        let thread = Thread { [weak self] in
            Thread.current.name = threadName
            Self.waitForReadiness(epoll: epoll, wakeUp: wakeUp, queue: queue) { ready, count in
                guard let self else { return false }
                self.handle(ready, count: count)
                return true
            }
        }
        thread.start()
    }

    deinit {
        _ = tp_event_signal(wakeUp)
    }

    /// Runs `work` on the queue once the current turn's events are handled, or later on the
    /// queue when no turn is running: never from inside the call that asks for it.
    func afterTurn(_ work: @escaping () -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        if isInTurn {
            turnEndWork.append(work)
        } else {
            LoopBound(work, queue: queue).async { $0() }
        }
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

    /// One turn: delivers a batch of ready sockets, then the work it left for its end.
    private func handle(_ ready: UnsafeMutablePointer<tp_epoll_ready>, count: Int) {
        isInTurn = true
        lines.gathering {
            for index in 0..<count {
                // A socket closed earlier in this batch has left `watches`, and its number may
                // already belong to a new socket: the token, not the descriptor, finds the watch.
                guard let watch = watches[ready[index].token] else { continue }
                watch.deliver(ready[index].events)
            }
            // Work may ask for more work; that runs in this turn too.
            var next = 0
            while next < turnEndWork.count {
                let work = turnEndWork[next]
                next += 1
                work()
            }
            turnEndWork.removeAll(keepingCapacity: true)
        }
        isInTurn = false
    }

    /// The waiting thread's life: each batch is handed to `handle` on `queue` until it returns
    /// false (the poller is gone); then the descriptors close.
    private static func waitForReadiness(
        epoll: Int32, wakeUp: Int32, queue: DispatchQueue,
        handle: (UnsafeMutablePointer<tp_epoll_ready>, Int) -> Bool
    ) {
        let ready = UnsafeMutablePointer<tp_epoll_ready>.allocate(capacity: Int(batchCapacity))
        defer {
            ready.deallocate()
            Glibc.close(wakeUp)
            Glibc.close(epoll)
        }
        while true {
            let count = tp_epoll_wait(epoll, ready, batchCapacity)
            precondition(count >= 0, "epoll_wait failed: \(String(cString: strerror(errno)))")
            guard queue.sync(execute: { handle(ready, Int(count)) }) else { return }
        }
    }
}
