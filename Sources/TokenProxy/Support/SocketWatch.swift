// SPDX-License-Identifier: Apache-2.0
import CEpoll
import Glibc

/// One non-blocking socket watched by its event loop's `SocketPoller`, and the socket's close.
///
/// `@unchecked Sendable` because it is confined to the poller's queue.
///
/// Readiness is level-triggered: the owner is told again and again while the socket
/// stays ready and it wants the event. Turning interest off only records it; epoll stops
/// watching when the socket next reports an event nobody wants, which for an idle
/// keep-alive socket is usually never. A socket that goes idle and busy again per
/// request so costs no system call for the idle phase.
final class SocketWatch: @unchecked Sendable {
    enum Event {
        case readable
        case writable
        /// epoll refused to watch the socket (out of memory, or the system's watch limit):
        /// no readiness will ever be reported, so the owner should give the socket up.
        case unwatchable
    }

    let socket: Int32
    /// How the poller knows this watch; never reused, unlike the socket's number.
    private(set) var token: UInt64 = 0
    /// What to do when the socket is ready; dropped at `close()`.
    var onEvent: ((Event) -> Void)?
    private let poller: SocketPoller
    private var wantsRead = false
    private var wantsWrite = false
    /// The events epoll watches the socket for.
    private var registered: UInt32 = 0
    private var isClosed = false

    init(socket: Int32, poller: SocketPoller, onEvent: ((Event) -> Void)? = nil) {
        self.socket = socket
        self.poller = poller
        self.onEvent = onEvent
        token = poller.add(self)
    }

    /// Starts or stops watching each direction.
    func watch(read: Bool, write: Bool) {
        guard !isClosed else { return }
        wantsRead = read
        wantsWrite = write
        let wanted = wantedEvents
        if wanted & ~registered != 0 {
            register(registered | wanted)
        }
    }

    /// Stops watching and closes the socket.
    func close() {
        guard !isClosed else { return }
        release(stillOpen: true)
        Glibc.close(socket)
    }

    /// Stops watching and forgets the socket, leaving it open for its owner to close.
    /// - Parameter stillOpen: false when the socket may already be closed, its number perhaps
    ///   taken by another file: epoll dropped the registration when the socket closed, and a call
    ///   for the number now could change another socket's.
    func release(stillOpen: Bool) {
        guard !isClosed else { return }
        isClosed = true
        onEvent = nil
        if stillOpen { register(0) }
        poller.remove(self)
    }

    /// Reports what epoll found, and stops watching for what is no longer wanted.
    func deliver(_ events: UInt32) {
        let failed = events & UInt32(TP_EPOLL_ERR | TP_EPOLL_HUP) != 0
        // Judged before the owner runs: interest it drops while handling this event is
        // dropped lazily, like any other, when the socket next reports it.
        let reportsUnwanted = failed ? wantedEvents == 0 : events & registered & ~wantedEvents != 0
        if wantsRead, failed || events & UInt32(TP_EPOLL_IN) != 0 {
            onEvent?(.readable)
        }
        if wantsWrite, !isClosed, failed || events & UInt32(TP_EPOLL_OUT) != 0 {
            onEvent?(.writable)
        }
        if reportsUnwanted, !isClosed {
            register(wantedEvents)
        }
    }

    private var wantedEvents: UInt32 {
        (wantsRead ? UInt32(TP_EPOLL_IN) : 0) | (wantsWrite ? UInt32(TP_EPOLL_OUT) : 0)
    }

    private func register(_ events: UInt32) {
        guard events != registered else { return }
        guard poller.register(self, events: events, previously: registered) else {
            if !isClosed { poller.queue.async { [self] in onEvent?(.unwatchable) } }
            return
        }
        registered = events
    }
}
