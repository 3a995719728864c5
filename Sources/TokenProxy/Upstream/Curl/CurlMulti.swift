// SPDX-License-Identifier: Apache-2.0
import CCurl
import Dispatch
import Glibc

/// One libcurl multi handle driven by its event loop: curl's *multi socket* interface.
///
/// `@unchecked Sendable` because it is confined: everything here runs on `queue`, the serial queue of the event loop that
/// owns it. Curl tells us which sockets to watch (`CURLMOPT_SOCKETFUNCTION`)
/// and when to call back (`CURLMOPT_TIMERFUNCTION`); the loop's `SocketPoller`
/// and one Dispatch timer carry that out and call
/// `curl_multi_socket_action`. The handle's connection cache keeps upstream
/// connections warm across requests, and HTTP/2 requests are multiplexed.
/// - SeeAlso: https://curl.se/libcurl/c/curl_multi_socket_action.html
final class CurlMulti: @unchecked Sendable {
    typealias Completion = (Result<Void, CurlError>) -> Void

    /// How many idle upstream connections the loop keeps open for reuse.
    static let idleConnectionLimit = 256

    let queue: DispatchQueue
    private let poller: SocketPoller
    let handle: UnsafeMutableRawPointer
    private let timer: DispatchSourceTimer
    private var sockets: [Int32: CurlSocket] = [:]
    private var transfers: [ObjectIdentifier: (easy: CurlEasy, completion: Completion)] = [:]
    private var timeoutKickPending = false
    /// When the timer is armed to fire; nil when it is not armed.
    private var armedDeadline: DispatchTime?
    /// How deep we are inside calls into curl; its callbacks run there, and curl refuses to remove
    /// a handle from within them (`CURLM_RECURSIVE_API_CALL`).
    private var curlCallDepth = 0
    /// Transfers cancelled from inside a callback, removed (and let go) once curl has returned.
    private var deferredRemovals: [CurlEasy] = []
    /// Handles of ended transfers, reset for the next ones: a new handle per request costs
    /// curl's set-up and buffers each time.
    private var idleEasies: [CurlEasy] = []
    private static let idleEasyLimit = 64

    init(poller: SocketPoller) {
        CurlRuntime.ensureInitialized()
        guard let handle = curl_multi_init() else {
            fatalError("curl_multi_init returned NULL: out of memory")
        }
        queue = poller.queue
        self.poller = poller
        self.handle = handle
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [unowned self] in
            armedDeadline = nil
            socketAction(ccurl_socket_timeout, mask: 0)
        }
        timer.schedule(deadline: .distantFuture)
        timer.resume()
        // One stream per connection, HTTP/2 included. libcurl 7.88 lets a paused HTTP/2 stream take up to a
        // 32 MiB window of data whenever another stream on its connection is read, and again after each resume,
        // into a buffer of up to 64 MiB per transfer: a few slow clients would hold hundreds of MiB. A stream
        // alone on its connection is not read while paused, so its data waits in the kernel and at the upstream.
        ccurl_multi_setopt_long(handle, CURLMOPT_PIPELINING, Int(CURLPIPE_NOTHING))
        // curl's default keeps 4 idle connections per transfer running, so a busy loop whose transfers
        // come and go closes and reopens upstream connections all the time; nginx keeps a fixed pool.
        ccurl_multi_setopt_long(handle, CURLMOPT_MAXCONNECTS, Self.idleConnectionLimit)
        installCallbacks()
    }

    deinit {
        timer.cancel()
        curl_multi_cleanup(handle)
    }

    /// A handle for a new transfer, reused when one is idle. Once the transfer has ended (after its
    /// completion has run, or once it is cancelled) the multi takes the handle back: nothing may use it then.
    func makeEasy() -> CurlEasy {
        idleEasies.popLast() ?? CurlEasy()
    }

    /// Starts a transfer; `completion` runs once on `queue` when it ends, unless it is cancelled first.
    func add(_ easy: CurlEasy, completion: @escaping Completion) {
        dispatchPrecondition(condition: .onQueue(queue))
        easy.set(CURLOPT_CLOSESOCKETDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
        installCloseSocketCallback(on: easy)
        transfers[ObjectIdentifier(easy)] = (easy, completion)
        let code = curl_multi_add_handle(handle, easy.handle)
        precondition(code == CURLM_OK, "curl_multi_add_handle failed: \(code.rawValue)")
    }

    /// Stops a running transfer without calling its completion; also from inside a curl callback,
    /// where the handle stays attached (and alive) until curl has returned.
    func cancel(_ easy: CurlEasy) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard transfers.removeValue(forKey: ObjectIdentifier(easy)) != nil else { return }
        if curlCallDepth > 0 {
            deferredRemovals.append(easy)
        } else {
            curl_multi_remove_handle(handle, easy.handle)
            takeBack(easy)
        }
    }

    /// Lets a paused transfer continue; curl may deliver its buffered data before this returns.
    func resume(_ easy: CurlEasy) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard transfers[ObjectIdentifier(easy)] != nil else { return }
        callingCurl { easy.resume() }
        reportCompletions()
    }

    /// Asks curl to act on a socket (or on its timeout), then reports finished transfers.
    func socketAction(_ socket: Int32, mask: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        var running: Int32 = 0
        callingCurl { _ = curl_multi_socket_action(handle, socket, mask, &running) }
        reportCompletions()
    }

    private func callingCurl(_ call: () -> Void) {
        curlCallDepth += 1
        call()
        curlCallDepth -= 1
        guard curlCallDepth == 0, !deferredRemovals.isEmpty else { return }
        let removals = deferredRemovals
        deferredRemovals.removeAll()
        for easy in removals {
            curl_multi_remove_handle(handle, easy.handle)
            takeBack(easy)
        }
    }

    private func reportCompletions() {
        var finished: [(CurlEasy, Completion, Result<Void, CurlError>)] = []
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(handle, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easyHandle = message.pointee.easy_handle else { continue }
            let easy = CurlEasy.from(handle: easyHandle)
            let code = message.pointee.data.result
            curl_multi_remove_handle(handle, easyHandle)
            guard let transfer = transfers.removeValue(forKey: ObjectIdentifier(easy)) else { continue }
            let result: Result<Void, CurlError> =
                code == CURLE_OK ? .success(()) : .failure(easy.failure(code))
            finished.append((easy, transfer.completion, result))
        }
        // Completions may start new transfers; they run after curl has handed over every message.
        for (easy, completion, result) in finished {
            completion(result)
            takeBack(easy)
        }
    }

    private func takeBack(_ easy: CurlEasy) {
        guard idleEasies.count < Self.idleEasyLimit else { return }
        easy.reset()
        idleEasies.append(easy)
    }

    // MARK: Called from the callbacks in CurlMulti+Callbacks.swift

    func watchSocket(_ socket: Int32, what: Int32, for easy: UnsafeMutableRawPointer?) {
        if what == CURL_POLL_REMOVE {
            stopWatching(socket, for: easy)
            return
        }
        var known = sockets[socket] ?? CurlSocket(watch: makeWatch(for: socket), identity: FileIdentity(of: socket))
        known.hasBeenRead = known.hasBeenRead || what & CURL_POLL_IN != 0
        sockets[socket] = known
        known.watch.watch(read: what & CURL_POLL_IN != 0, write: what & CURL_POLL_OUT != 0)
    }

    /// curl no longer needs `socket` for now. A connection that has carried a response stays registered
    /// (its interest dropped lazily, see `SocketWatch`), so the next request that reuses it from curl's
    /// connection cache costs no `epoll_ctl`: curl closes an established connection only through the
    /// close-socket callback, which lets the registration go. Any other socket (the threaded resolver's
    /// socket pair, a connection attempt curl gave up) curl may close itself, before or after telling us,
    /// and its number may already name another file: it is let go now, and epoll is told only while the
    /// number still names the socket curl gave us.
    private func stopWatching(_ socket: Int32, for easy: UnsafeMutableRawPointer?) {
        guard let known = sockets[socket] else { return }
        if known.hasBeenRead, let easy, CurlEasy.hasResponse(handle: easy) {
            known.watch.watch(read: false, write: false)
            return
        }
        sockets[socket] = nil
        known.watch.release(stillOpen: FileIdentity(of: socket) == known.identity)
    }

    func closeSocket(_ socket: Int32) {
        if let known = sockets.removeValue(forKey: socket) {
            known.watch.close()
        } else {
            Glibc.close(socket)  // never watched, or let go already
        }
    }

    /// Carries out curl's timer request. Re-arming a Dispatch timer wakes Dispatch's manager
    /// thread, so the timer is only moved earlier, never later or off: firing early is harmless,
    /// as curl then does nothing but tell us its next deadline.
    func scheduleTimeout(milliseconds: Int) {
        switch milliseconds {
        case ..<0:
            break
        case 0:
            // Never call socket_action from inside curl's timer callback: act once the turn is over.
            guard !timeoutKickPending else { return }
            timeoutKickPending = true
            poller.afterTurn { [unowned self] in
                timeoutKickPending = false
                socketAction(ccurl_socket_timeout, mask: 0)
            }
        default:
            let deadline = DispatchTime.now() + .milliseconds(milliseconds)
            if let armed = armedDeadline, armed <= deadline { return }
            armedDeadline = deadline
            timer.schedule(deadline: deadline)
        }
    }

    private func makeWatch(for socket: Int32) -> SocketWatch {
        let watch = SocketWatch(socket: socket, poller: poller) { [unowned self] event in
            switch event {
            case .readable: socketAction(socket, mask: CURL_CSELECT_IN)
            case .writable: socketAction(socket, mask: CURL_CSELECT_OUT)
            case .unwatchable: socketAction(socket, mask: CURL_CSELECT_ERR)
            }
        }
        return watch
    }
}
