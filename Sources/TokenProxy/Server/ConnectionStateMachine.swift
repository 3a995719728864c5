// SPDX-License-Identifier: Apache-2.0

/// What happens next to one client connection, free of I/O and clocks: reading a request's head and
/// body, answering one request at a time while pipelined ones wait in the inbound buffer,
/// `100 Continue`, keep-alive, the head and idle deadlines, drain and closing.
///
/// `ClientConnection` feeds it events with the current instant and carries out what it returns.
struct ConnectionStateMachine: Equatable {
    typealias Instant = ContinuousClock.Instant

    enum State: Equatable {
        /// Between requests. Once bytes of the next head arrived (`started`), the head timeout runs
        /// from `since`; before, the idle timeout does.
        case awaitingHead(started: Bool, since: Instant)
        /// A request is being answered.
        case exchanging(Exchange)
        /// The last response is being written out; then the connection closes.
        case closing
        case closed
    }

    struct Exchange: Equatable {
        var body: Body
        /// The client waits for `100 Continue` before it sends the body, and has not had it.
        var awaitsContinue: Bool
        /// The response head went out: from now on an error can only cut the connection.
        var responseStarted = false
    }

    /// The current request's body as it arrives from the client.
    enum Body: Equatable {
        /// No body, or all of it arrived.
        case complete
        /// Arriving; its last bytes came at `since` (the head timeout bounds each pause).
        case arriving(since: Instant)
        /// The upstream has not taken what is buffered: reading waits, and the pause is the upstream's.
        case waitingForRoom
    }

    enum Action: Equatable {
        case none
        /// Close the connection now.
        case close
        /// Answer `408 request_timeout` (then close).
        case timeOut
    }

    /// What follows a finished response.
    enum AfterResponse: Equatable {
        /// Read the next request; bytes of it may already be buffered.
        case nextRequest
        /// Close once the response is written; first drop the rest of a body the upstream did not read.
        case closeWhenWritten(abandonBody: Bool)
        /// The connection closed meanwhile.
        case none
    }

    /// How to answer with one of the proxy's errors.
    enum Rejection: Equatable {
        /// Write the error response; first stop the exchange answering the request, if one runs.
        case answer(stopExchange: Bool, keepAlive: Bool)
        /// The response already began: stop the exchange and cut the connection.
        case abort
        case none
    }

    let headTimeout: Duration
    let idleTimeout: Duration
    private(set) var state: State
    /// The client closed its side: no more requests will come.
    private(set) var inputEnded = false
    /// Draining: close after the current response instead of reading another request.
    private(set) var closeAfterResponse: Bool

    init(headTimeout: Duration, idleTimeout: Duration, draining: Bool, now: Instant) {
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        closeAfterResponse = draining
        state = .awaitingHead(started: false, since: now)
    }

    // MARK: Reading

    /// Whether to read from the client now: not after its end of input, not while a body waits for the
    /// upstream, and while a response is under way only as much as a pipelined head may need.
    func wantsInput(buffered: Int, maxHeadBytes: Int) -> Bool {
        guard !inputEnded else { return false }
        switch state {
        case .awaitingHead: return true
        case .exchanging(let exchange):
            switch exchange.body {
            case .arriving: return true
            case .waitingForRoom: return false
            case .complete: return buffered <= maxHeadBytes
            }
        case .closing, .closed: return false
        }
    }

    mutating func bytesArrived(at now: Instant) {
        switch state {
        case .awaitingHead(started: false, _):
            state = .awaitingHead(started: true, since: now)
        case .exchanging(let exchange):
            if case .arriving = exchange.body { updateExchange { $0.body = .arriving(since: now) } }
        case .awaitingHead, .closing, .closed:
            break
        }
    }

    /// An intercepted tunnel's TLS handshake completed: the next request head may take its time again.
    mutating func tunnelEstablished(bytesBuffered: Bool, at now: Instant) {
        guard case .awaitingHead = state else { return }
        state = .awaitingHead(started: bytesBuffered, since: now)
    }

    mutating func inputDidEnd() {
        inputEnded = true
    }

    /// The head or body parsed so far is incomplete: without more input to come, the connection ends.
    func needsMoreBytes() -> Action {
        inputEnded ? .close : .none
    }

    /// A request head arrived and the request was handed on.
    mutating func headReceived(hasBody: Bool, expectsContinue: Bool, at now: Instant) {
        state = .exchanging(
            Exchange(body: hasBody ? .arriving(since: now) : .complete, awaitsContinue: hasBody && expectsContinue))
    }

    mutating func bodyLacksRoom() {
        updateExchange { $0.body = .waitingForRoom }
    }

    /// The upstream took buffered body bytes; returns whether reading resumes.
    mutating func bodyHasRoom(at now: Instant) -> Bool {
        guard case .exchanging(let exchange) = state, exchange.body == .waitingForRoom else { return false }
        updateExchange { $0.body = .arriving(since: now) }
        return true
    }

    mutating func bodyCompleted() {
        updateExchange {
            $0.body = .complete
            $0.awaitsContinue = false
        }
    }

    /// The upstream asks for the first body bytes; returns whether to send `100 Continue`.
    mutating func upstreamWantsBody() -> Bool {
        guard case .exchanging(let exchange) = state, exchange.awaitsContinue, !exchange.responseStarted else {
            return false
        }
        updateExchange { $0.awaitsContinue = false }
        return true
    }

    // MARK: Answering

    var responseStarted: Bool {
        if case .exchanging(let exchange) = state { exchange.responseStarted } else { false }
    }

    /// The response head goes out; returns whether it must say `Connection: close` (draining).
    mutating func responseStarting() -> Bool {
        updateExchange {
            $0.responseStarted = true
            $0.awaitsContinue = false
        }
        return closeAfterResponse
    }

    /// The response is complete; `bytesBuffered` says whether bytes of a pipelined request wait.
    mutating func responseFinished(keepAlive: Bool, bytesBuffered: Bool, at now: Instant) -> AfterResponse {
        guard case .exchanging(let exchange) = state else { return .none }
        // A body the upstream did not read to its end leaves the rest of it on the wire.
        let bodyUnread = exchange.body != .complete
        guard keepAlive, !bodyUnread, !inputEnded, !closeAfterResponse else {
            state = .closing
            return .closeWhenWritten(abandonBody: bodyUnread)
        }
        state = .awaitingHead(started: bytesBuffered, since: now)
        return .nextRequest
    }

    /// Everything buffered for the client was written; returns whether to close now.
    func outputWritten() -> Bool {
        state == .closing
    }

    /// The request cannot be served: a framing error, a refusal, a timeout. `keepsConnection` says
    /// whether the stream is still trustworthy when no exchange has begun.
    mutating func reject(keepsConnection: Bool) -> Rejection {
        switch state {
        case .exchanging(let exchange) where exchange.responseStarted:
            return .abort
        case .exchanging:
            state = .exchanging(Exchange(body: .complete, awaitsContinue: false))
            return .answer(stopExchange: true, keepAlive: false)
        case .awaitingHead:
            state = .exchanging(Exchange(body: .complete, awaitsContinue: false))
            return .answer(stopExchange: false, keepAlive: keepsConnection)
        case .closing, .closed:
            return .none
        }
    }

    // MARK: Deadlines, drain, close

    /// A stalled head or body gets `408`; an idle keep-alive connection closes. A body that waits for the
    /// upstream is the upstream's delay, not the client's.
    func deadlinePassed(at now: Instant) -> Action {
        switch state {
        case .awaitingHead(started: false, let since):
            now - since > idleTimeout ? .close : .none
        case .awaitingHead(started: true, let since):
            now - since > headTimeout ? .timeOut : .none
        case .exchanging(let exchange):
            if case .arriving(let since) = exchange.body, now - since > headTimeout { .timeOut } else { .none }
        case .closing, .closed:
            .none
        }
    }

    /// Drain: an idle connection closes now, a busy one after its response.
    mutating func drain() -> Action {
        closeAfterResponse = true
        if case .awaitingHead(started: false, _) = state { return .close }
        return .none
    }

    /// Returns false when the connection was closed already.
    mutating func close() -> Bool {
        guard state != .closed else { return false }
        state = .closed
        return true
    }

    private mutating func updateExchange(_ change: (inout Exchange) -> Void) {
        guard case .exchanging(var exchange) = state else { return }
        change(&exchange)
        state = .exchanging(exchange)
    }
}
