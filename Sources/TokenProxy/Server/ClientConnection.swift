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
        /// A request is being answered; its body may still be arriving (`upload`).
        case exchanging(ResponseProgress)
        case closing
        case closed
    }

    /// A request body still arriving from the client.
    private struct Upload {
        var reader: BodyReader
        let body: RequestBody
        /// The upstream has not taken the bytes buffered so far: reading waits for room.
        var waitsForRoom = false
    }

    let queue: DispatchQueue
    let watch: SocketWatch
    let peer: ClientPeer
    let limits: ConnectionLimits
    private let loop: EventLoop
    private let handler: RequestHandler
    private let replayBudget: BufferBudget
    private let sweeper: ConnectionSweeper
    private let onClose: () -> Void
    private(set) var state = State.awaitingHead
    private var parser: RequestParser
    private var inbound = ByteQueue()
    let writer: ResponseWriter
    private var upload: Upload?
    private var exchange: ExchangeCancellation?
    /// The client has closed its side; no more requests will come.
    private var inputEnded = false
    /// Bytes read from the client, reported to metrics at close.
    private var bytesReceived = 0
    private var isProcessing = false
    private var processAgain = false
    /// When the current request head (or body) began to arrive, or the connection last went idle.
    private var waitingSince = ContinuousClock.now
    /// Whether bytes of a request have arrived since `waitingSince`: the head timeout applies, not the idle one.
    private var requestStarted = false
    /// Set on drain: close after the current response instead of reading another request.
    private(set) var closeAfterResponse = false

    /// - Parameter onClose: runs once, when the connection has closed.
    init(
        socket: Int32, peer: ClientPeer, loop: EventLoop, handler: RequestHandler, limits: ConnectionLimits,
        replayBudget: BufferBudget,
        onClose: @escaping () -> Void
    ) {
        self.peer = peer
        queue = loop.queue
        self.loop = loop
        sweeper = loop.sweeper
        self.onClose = onClose
        self.handler = handler
        self.limits = limits
        self.replayBudget = replayBudget
        parser = RequestParser(limits: limits.parser)
        watch = SocketWatch(socket: socket, poller: loop.poller)
        writer = ResponseWriter(socket: socket, queue: loop.queue, highWater: limits.outboundHighWater)
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
            switch try inbound.read(from: watch.socket, through: loop.readBuffer) {
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
        watch.watch(read: wantsInput, write: !writer.isEmpty)
        processInbound()
    }

    /// Whether the connection takes more request bytes now: not after the client's end of input, not while a
    /// body waits for the upstream, and while a response is under way only as many as a pipelined head may need.
    var wantsInput: Bool {
        switch state {
        case .awaitingHead: !inputEnded
        case .exchanging:
            if let upload {
                !inputEnded && !upload.waitsForRoom
            } else {
                !inputEnded && inbound.count <= limits.parser.maxHeadBytes
            }
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
        case .exchanging where upload != nil:
            try readBody()
        case .exchanging, .closing, .closed:
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
        if case .contentLength(let length) = framing, let limit = limits.maxBodyBytes, length > limit {
            throw ProxyError.bodyTooLarge(limit: limit)
        }
        var body: RequestBody?
        if framing != .none {
            let stream = makeBody(framing: framing, head: head)
            upload = Upload(reader: BodyReader(framing: framing, limits: limits), body: stream)
            body = stream
        }
        state = .exchanging(ResponseProgress(request: head))
        // Reading goes on while the response is made (up to a bound), so that a client that goes away is noticed.
        exchange = responder.respond(to: ClientRequest(head: head, body: body), sink: self, loop: loop)
    }

    private func makeBody(framing: BodyFraming, head: RequestHead) -> RequestBody {
        var length: Int?
        if case .contentLength(let value) = framing { length = value }
        let body = RequestBody(
            length: length, replayLimit: limits.replayBufferBytes, window: ConnectionLimits.uploadWindow,
            budget: replayBudget)
        let connection = LoopBound(WeakReference(self), queue: queue)
        body.onRoom { connection.async { $0.object?.roomForBody() } }
        if head.version == .http1_1, head.headers.tokens(name: "Expect").contains("100-continue") {
            // The upstream's first read says the route can take the body.
            body.onFirstDemand { connection.async { $0.object?.sendContinue() } }
        }
        return body
    }

    /// Moves buffered body bytes into the request's body, as far as it has room.
    private func readBody() throws {
        guard var upload else { return }
        guard upload.body.hasRoom else {
            upload.waitsForRoom = true
            self.upload = upload
            watch.watch(read: false, write: !writer.isEmpty)
            return
        }
        let done = try inbound.withUnsafeReadableBytes { bytes in
            let (consumed, done) = try upload.reader.read(bytes, into: upload.body)
            inbound.consume(consumed)
            return done
        }
        if done {
            upload.body.finish()
            self.upload = nil
            processAgain = true  // a finished response may be waiting for the body's end
        } else {
            self.upload = upload
            if inputEnded, inbound.isEmpty { close() }
        }
    }

    private func roomForBody() {
        guard upload?.waitsForRoom == true else { return }
        upload?.waitsForRoom = false
        waitingSince = .now
        watch.watch(read: wantsInput, write: !writer.isEmpty)
        processInbound()
    }

    private func sendContinue() {
        guard upload != nil, case .exchanging(let progress) = state, !progress.headSent else { return }
        writer.append("HTTP/1.1 100 Continue\r\n\r\n")
        flush()
    }

    /// Answers with an error and closes: after a framing error the stream cannot be trusted.
    /// A request already handed on is stopped first; if its response has begun, the connection just ends.
    private func reject(_ error: ProxyError, head: RequestHead? = nil, keepAlive: Bool = false) {
        if case .exchanging(let progress) = state {
            stopExchange()
            if progress.headSent {
                abort()
                return
            }
            state = .exchanging(ResponseProgress(request: progress.request, keepAlive: false))
        } else {
            state = .exchanging(ResponseProgress(request: head, keepAlive: keepAlive))
        }
        respond(with: error)
    }

    /// Stops the exchange answering the current request, and the body it was reading.
    private func stopExchange() {
        upload?.body.abandon()
        upload = nil
        exchange?.cancel()
        exchange = nil
    }

    // MARK: Closing

    /// Closes at once; a responder still working is told the client is gone.
    func close() {
        if case .closed = state { return }
        state = .closed
        watch.close()
        sweeper.unregister(self)
        onClose()
        ProxyMetrics.clientConnectionsChanged(by: -1)
        ProxyMetrics.clientBytes(received: bytesReceived, sent: writer.bytesSent)
        writer.discardDrainActions()
        stopExchange()
    }

    /// Continues after a response: the next request, or the close that was asked for.
    func responseDidFinish(keepAlive: Bool) {
        // The last flush may have found the client gone and closed the connection: it stays closed.
        if case .closed = state { return }
        exchange = nil
        // A body the upstream did not read to its end leaves the rest of it on the wire: the connection goes.
        let bodyUnread = upload != nil
        if bodyUnread {
            upload?.body.abandon()
            upload = nil
        }
        guard keepAlive, !bodyUnread, !inputEnded, !closeAfterResponse else {
            state = .closing
            if writer.isEmpty { close() }
            return
        }
        state = .awaitingHead
        waitingSince = .now
        requestStarted = !inbound.isEmpty
        watch.watch(read: true, write: !writer.isEmpty)
        processInbound()
    }

    // MARK: Writing

    /// Lets the response sink change the current response's progress; does nothing when no response is under way.
    /// `change` must not flush or close: those change the state it works on.
    func updateProgress(_ change: (inout ResponseProgress, ResponseWriter) -> Void) {
        guard case .exchanging(var progress) = state else { return }
        change(&progress, writer)
        state = .exchanging(progress)
    }

    /// Writes what the socket takes; watches for writability while bytes remain.
    func flush() {
        if case .closed = state { return }
        switch writer.flush() {
        case .failed:
            close()
        case .pending:
            watch.watch(read: wantsInput, write: true)
        case .drained:
            watch.watch(read: wantsInput, write: false)
            if case .closing = state { close() }
        }
    }

    // MARK: Deadlines and drain

    private func noteRequestBytes() {
        switch state {
        case .awaitingHead where !requestStarted:
            requestStarted = true
            waitingSince = .now
        case .exchanging where upload != nil:
            waitingSince = .now
        default:
            break
        }
    }

    /// Called by the sweeper: a head or body that stalls gets `408`, an idle keep-alive connection is closed.
    /// A body that waits for the upstream is the upstream's delay, not the client's.
    func enforceDeadline(now: ContinuousClock.Instant) {
        switch state {
        case .awaitingHead where !requestStarted:
            if now - waitingSince > limits.idleTimeout { close() }
        case .awaitingHead:
            if now - waitingSince > limits.headTimeout { reject(.requestTimeout(seconds: limits.headTimeout.seconds)) }
        case .exchanging:
            guard let upload, !upload.waitsForRoom, now - waitingSince > limits.headTimeout else { return }
            reject(.requestTimeout(seconds: limits.headTimeout.seconds))
        case .closing, .closed:
            break
        }
    }

    /// Drain: an idle connection closes now, a busy one after its response.
    func closeWhenIdle() {
        closeAfterResponse = true
        if case .awaitingHead = state, !requestStarted { close() }
    }
}
