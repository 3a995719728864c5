// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc

/// One client app's TCP connection: reads requests, hands each to the
/// `RequestHandler`, writes the response, and goes on with the next request
/// (keep-alive, pipelining) or closes.
///
/// `@unchecked Sendable` because it is confined: everything runs on `queue`,
/// the queue of the event loop the listener gave the connection to. Requests
/// are answered one at a time, in order; reading pauses while one is answered.
final class ClientConnection: @unchecked Sendable {
    enum State {
        case awaitingHead
        case readingBody(RequestHead, BodyReader, any RequestResponder)
        case responding(ResponseProgress)
        case closing
        case closed
    }

    let queue: DispatchQueue
    let watch: SocketWatch
    let handler: RequestHandler
    let peer: ClientPeer
    let limits: ConnectionLimits
    private let sweeper: ConnectionSweeper
    private let readBuffer: UnsafeMutableRawBufferPointer
    private let onClose: () -> Void
    var state = State.awaitingHead
    var parser: RequestParser
    var inbound = ByteQueue()
    var outbound = ByteQueue()
    var drainActions: [() -> Void] = []
    var onClientGone: (() -> Void)?
    /// The client has closed its side; no more requests will come.
    var inputEnded = false
    /// Bytes read from and written to the client, reported to metrics at close.
    var bytesReceived = 0
    var bytesSent = 0
    private var isProcessing = false
    private var processAgain = false
    /// When the current request head (or body) began to arrive, or the connection last went idle.
    private var waitingSince = ContinuousClock.now
    /// Whether bytes of a request have arrived since `waitingSince`: the head timeout applies, not the idle one.
    private var requestStarted = false
    /// Set on drain: close after the current response instead of reading another request.
    var closeAfterResponse = false
    /// A flush is queued for the end of the current loop turn.
    var flushScheduled = false

    /// - Parameter onClose: runs once, when the connection has closed.
    init(
        socket: Int32, peer: ClientPeer, loop: EventLoop, handler: RequestHandler, limits: ConnectionLimits,
        onClose: @escaping () -> Void
    ) {
        self.peer = peer
        queue = loop.queue
        sweeper = loop.sweeper
        readBuffer = loop.readBuffer
        self.onClose = onClose
        self.handler = handler
        self.limits = limits
        parser = RequestParser(limits: limits.parser)
        watch = SocketWatch(socket: socket, poller: loop.poller)
        // The watch's handler keeps the connection alive until `close()` drops it.
        watch.onEvent = { [self] event in
            switch event {
            case .readable: readAvailable()
            case .writable: flush()
            case .unwatchable: close()
            }
        }
    }

    func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        ProxyMetrics.clientConnectionsChanged(by: 1)
        sweeper.register(self)
        closeAfterResponse = sweeper.isDraining
        watch.watch(read: true, write: false)
    }

    // MARK: Reading

    private func readAvailable() {
        do {
            switch try inbound.read(from: watch.socket, through: readBuffer) {
            case .done(0):
                inputEnded = true
            case .done(let count):
                bytesReceived += count
                noteRequestBytes()
            case .wouldBlock:
                break
            }
        } catch {
            close()
            return
        }
        watch.watch(read: wantsInput, write: !outbound.isEmpty)
        processInbound()
    }

    /// Whether the connection takes more request bytes now: not after the client's end of input,
    /// and while a response is under way only as many as a pipelined request head may need.
    var wantsInput: Bool {
        switch state {
        case .awaitingHead, .readingBody: !inputEnded
        case .responding: !inputEnded && inbound.count <= limits.parser.maxHeadBytes
        case .closing, .closed: false
        }
    }

    /// Works through buffered bytes until more are needed or a response is under way.
    /// Re-entrant calls (a handler that answers at once) just ask the running loop to go round again.
    func processInbound() {
        if isProcessing {
            processAgain = true
            return
        }
        isProcessing = true
        defer { isProcessing = false }
        repeat {
            processAgain = false
            do {
                try advance()
            } catch let error as ParseError {
                reject(ProxyError(error, limits: limits.parser))
            } catch let error as ProxyError {
                reject(error)
            } catch {
                close()
            }
        } while processAgain
    }

    private func advance() throws {
        switch state {
        case .awaitingHead:
            let result = try inbound.withUnsafeReadableBytes { try parser.parseHead($0) }
            switch result {
            case .needMore:
                if inputEnded { close() }
            case .complete(let head, let consumed):
                inbound.consume(consumed)
                parser.reset()
                waitingSince = .now  // the body's own clock: the head timeout bounds each pause
                try begin(head)
                processAgain = true
            }
        case .readingBody(let head, var reader, let responder):
            // Take the reader out of `state`, so that its body has one owner and grows without being copied.
            state = .closing
            let done = try inbound.withUnsafeReadableBytes { bytes in
                let (consumed, done) = try reader.read(bytes)
                inbound.consume(consumed)
                return done
            }
            if done {
                dispatch(ClientRequest(head: head, body: reader.body), to: responder)
            } else {
                state = .readingBody(head, reader, responder)
                if inputEnded { close() }
            }
        case .responding, .closing, .closed:
            break
        }
    }

    private func begin(_ head: RequestHead) throws {
        let framing = try BodyFraming(head: head)
        let responder: any RequestResponder
        switch handler.admit(head, from: peer) {
        case .accept(let admitted):
            responder = admitted
        case .refuse(let refusal):
            // Only a well-formed request (for an unserved host, say) leaves the stream trustworthy; and a body,
            // if any, is never read, so that connection cannot carry another request either.
            reject(refusal, head: head, keepAlive: framing == .none && refusal.keepsConnection)
            return
        }
        if case .contentLength(let length) = framing, length > limits.maxBodyBytes {
            throw ProxyError.bodyTooLarge(limit: limits.maxBodyBytes)
        }
        guard framing != .none else {
            dispatch(ClientRequest(head: head, body: nil), to: responder)
            return
        }
        if head.version == .http1_1, head.headers.tokens(name: "Expect").contains("100-continue") {
            outbound.append("HTTP/1.1 100 Continue\r\n\r\n")
            flush()
        }
        state = .readingBody(head, BodyReader(framing: framing, limits: limits), responder)
    }

    private func dispatch(_ request: ClientRequest, to responder: any RequestResponder) {
        state = .responding(ResponseProgress(request: request.head))
        // Reading goes on while the response is made (up to a bound), so that a client that goes away is noticed.
        responder.respond(to: request, sink: self)
    }

    /// Answers with an error and closes: after a framing error the stream cannot be trusted.
    private func reject(_ error: ProxyError, head: RequestHead? = nil, keepAlive: Bool = false) {
        state = .responding(ResponseProgress(request: head, keepAlive: keepAlive))
        respond(with: error)
    }

    // MARK: Closing

    /// Closes at once; a handler still working is told the client is gone.
    func close() {
        if case .closed = state { return }
        state = .closed
        watch.close()
        sweeper.unregister(self)
        onClose()
        ProxyMetrics.clientConnectionsChanged(by: -1)
        ProxyMetrics.clientBytes(received: bytesReceived, sent: bytesSent)
        drainActions.removeAll()
        let gone = onClientGone
        onClientGone = nil
        gone?()
    }

    /// Continues after a response: the next request, or the close that was asked for.
    func responseDidFinish(keepAlive: Bool) {
        // The last flush may have found the client gone and closed the connection: it stays closed.
        if case .closed = state { return }
        onClientGone = nil
        guard keepAlive, !inputEnded, !closeAfterResponse else {
            state = .closing
            if outbound.isEmpty { close() }
            return
        }
        state = .awaitingHead
        waitingSince = .now
        requestStarted = !inbound.isEmpty
        watch.watch(read: true, write: !outbound.isEmpty)
        processInbound()
    }

    // MARK: Deadlines and drain

    private func noteRequestBytes() {
        switch state {
        case .awaitingHead where !requestStarted:
            requestStarted = true
            waitingSince = .now
        case .readingBody:
            waitingSince = .now
        default:
            break
        }
    }

    /// Called by the sweeper: a head that takes too long gets `408`, an idle keep-alive connection is closed.
    func enforceDeadline(now: ContinuousClock.Instant) {
        switch state {
        case .awaitingHead where !requestStarted:
            if now - waitingSince > limits.idleTimeout { close() }
        case .awaitingHead, .readingBody:
            if now - waitingSince > limits.headTimeout { reject(.requestTimeout(seconds: limits.headTimeout.seconds)) }
        case .responding, .closing, .closed:
            break
        }
    }

    /// Drain: an idle connection closes now, a busy one after its response.
    func closeWhenIdle() {
        closeAfterResponse = true
        if case .awaitingHead = state, !requestStarted { close() }
    }
}
