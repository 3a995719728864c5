// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc
import Logging

/// One client app's connection: reads requests, hands each to the
/// `RequestHandler`, writes the response, and goes on with the next request
/// (keep-alive, pipelining) or closes. After a `CONNECT` it serves the requests
/// in the tunnel the same way, over TLS through its `ClientTransport` when the
/// tunnel is intercepted.
///
/// What to do next is the policy of its `ConnectionStateMachine` and `TunnelPhase`;
/// this class does the I/O: reading heads here, bodies in `+RequestBody`, responses in
/// `+ResponseSink`, tunnels in `+Tunnel`.
///
/// `@unchecked Sendable` because it is confined: everything runs on `queue`,
/// the queue of the event loop the listener gave the connection to. Requests
/// are answered one at a time, in order; reading pauses while one is answered.
final class ClientConnection: @unchecked Sendable {
    let queue: DispatchQueue
    let watch: SocketWatch
    let peer: ClientPeer
    let limits: ConnectionLimits
    private let loop: EventLoop
    private let handler: RequestHandler
    private let sweeper: ConnectionSweeper
    private let onClose: () -> Void
    private var parser: RequestParser
    let writer: ResponseWriter
    /// Framing and keep-alive of the response under way; nil between requests.
    private var response: ResponseProgress?
    private var exchange: ExchangeCancellation?
    /// Bytes read from the client, reported to metrics at close.
    private var bytesReceived = 0
    private var isProcessing = false

    // The state below is shared with the extensions in ClientConnection+RequestBody.swift and
    // ClientConnection+Tunnel.swift, which are part of this class; nothing else uses it.
    let budgets: ConnectionBudgets
    let transport: ClientTransport
    var machine: ConnectionStateMachine
    var inbound = ByteQueue()
    var tunnelPhase = TunnelPhase.none
    var upload: Upload?
    /// Set to make `processInbound` go round once more.
    var processAgain = false

    /// - Parameter onClose: runs once, when the connection has closed.
    init(
        socket: Int32, peer: ClientPeer, loop: EventLoop, handler: RequestHandler, limits: ConnectionLimits,
        budgets: ConnectionBudgets,
        onClose: @escaping () -> Void
    ) {
        self.peer = peer
        queue = loop.queue
        self.loop = loop
        sweeper = loop.sweeper
        self.onClose = onClose
        self.handler = handler
        self.limits = limits
        self.budgets = budgets
        parser = RequestParser(limits: limits.parser)
        machine = ConnectionStateMachine(
            headTimeout: limits.headTimeout, idleTimeout: limits.idleTimeout, draining: loop.sweeper.isDraining,
            now: .now)
        watch = SocketWatch(socket: socket, poller: loop.poller)
        transport = ClientTransport(socket: socket)
        writer = ResponseWriter(
            transport: transport, poller: loop.poller, highWater: limits.outboundHighWater, budget: budgets.response)
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
        watch.watch(read: true, write: false)
    }

    // MARK: Reading

    private func readAvailable() {
        let wasHandshaking = transport.isHandshaking
        do {
            switch try transport.read(into: &inbound, through: loop.readBuffer) {
            case .done(0):
                machine.inputDidEnd()
            case .done(let count):
                bytesReceived += count
                machine.bytesArrived(at: .now)
            case .wouldBlock:
                break
            }
        } catch {
            if case .handshake(let failure) = error {
                endTunnel(because: "\(failure)", alert: failure.clientAlert ?? failure.serverAlert)
            } else {
                close()
            }
            return
        }
        if wasHandshaking, !transport.isHandshaking {
            machine.tunnelEstablished(bytesBuffered: !inbound.isEmpty, at: .now)
        }
        if transport.hasPendingOutput { flush() }
        watch.watch(read: wantsInput, write: !writer.isEmpty)
        processInbound()
    }

    var wantsInput: Bool {
        if case .awaitingLeaf = tunnelPhase { return false }
        return machine.wantsInput(buffered: inbound.count, maxHeadBytes: limits.parser.maxHeadBytes)
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
        switch machine.state {
        case .awaitingHead:
            if case .opening = tunnelPhase {
                carryOut(tunnelPhase.firstBytesArrived(inbound.withUnsafeReadableBytes { TunnelOpening.classify($0) }))
            }
            switch tunnelPhase {
            case .opening, .awaitingLeaf: return
            case .none, .open: break
            }
            let result = try inbound.withUnsafeReadableBytes { try parser.parseHead($0) }
            switch result {
            case .needMore:
                carryOut(machine.needsMoreBytes())
            case .complete(let head, let consumed):
                inbound.consume(consumed)
                parser.reset()
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
        switch handler.admit(head, from: peer, in: tunnelPhase.tunnel) {
        case .accept(let admitted):
            responder = admitted
        case .openTunnel(let grant):
            guard framing == .none else { throw ProxyError.badRequest("a CONNECT request has no body") }
            answerConnect(grant)
            return
        case .refuse(let refusal):
            // Only a well-formed request (for an unserved host, say) leaves the stream trustworthy; and a body,
            // if any, is never read, so that connection cannot carry another request either.
            reject(refusal, head: head, keepsConnection: framing == .none && refusal.keepsConnection)
            return
        }
        if case .contentLength(let length) = framing, let limit = limits.maxBodyBytes, length > limit {
            throw ProxyError.bodyTooLarge(limit: limit)
        }
        let expectsContinue = head.version == .http1_1 && head.headers.tokens(name: "Expect").contains("100-continue")
        var body: RequestBody?
        if framing != .none {
            let stream = makeBody(framing: framing, expectsContinue: expectsContinue)
            upload = Upload(reader: BodyReader(framing: framing, limits: limits), body: stream)
            body = stream
        }
        machine.headReceived(hasBody: body != nil, expectsContinue: expectsContinue, at: .now)
        response = ResponseProgress(request: head)
        // Reading goes on while the response is made (up to a bound), so that a client that goes away is noticed.
        exchange = responder.respond(to: ClientRequest(head: head, body: body), sink: self, loop: loop)
    }

    /// Answers with an error and closes: after a framing error the stream cannot be trusted.
    /// A request already handed on is stopped first; if its response has begun, the connection just ends.
    func reject(_ error: ProxyError, head: RequestHead? = nil, keepsConnection: Bool = false) {
        switch machine.reject(keepsConnection: keepsConnection) {
        case .abort:
            stopExchange()
            abort()
        case .answer(let stopsExchange, let keepAlive):
            if stopsExchange { stopExchange() }
            response = ResponseProgress(request: response?.request ?? head, keepAlive: keepAlive)
            respond(with: error)
        case .none:
            break
        }
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
        guard machine.close() else { return }
        response = nil
        watch.close()
        sweeper.unregister(self)
        onClose()
        ProxyMetrics.clientConnectionsChanged(by: -1)
        ProxyMetrics.clientBytes(received: bytesReceived, sent: writer.bytesSent)
        writer.discard()
        stopExchange()
    }

    /// Continues after a response: the next request, or the close that was asked for.
    func responseDidFinish(keepAlive: Bool) {
        switch machine.responseFinished(keepAlive: keepAlive, bytesBuffered: !inbound.isEmpty, at: .now) {
        case .none:
            return  // the last flush found the client gone and closed the connection
        case .closeWhenWritten(let abandonBody):
            exchange = nil
            response = nil
            if abandonBody {
                upload?.body.abandon()
                upload = nil
            }
            if writer.isEmpty { close() }
        case .nextRequest:
            exchange = nil
            response = nil
            watch.watch(read: true, write: !writer.isEmpty)
            processInbound()
        }
    }

    // MARK: Writing

    /// Lets the response sink write the current response; does nothing when no response is under way.
    /// `change` must not flush or close: those change the state it works on.
    func updateProgress(_ change: (inout ResponseProgress, ResponseWriter) -> Void) {
        guard var progress = response else { return }
        change(&progress, writer)
        response = progress
    }

    /// The response head is about to be written; returns whether it must announce the close (drain).
    func responseStarting() -> Bool {
        machine.responseStarting()
    }

    var responseStarted: Bool { machine.responseStarted }

    var isClosed: Bool { machine.state == .closed }

    /// Writes what the socket takes; watches for writability while bytes remain.
    func flush() {
        guard !isClosed else { return }
        switch writer.flush() {
        case .failed:
            close()
        case .pending:
            watch.watch(read: wantsInput, write: true)
        case .drained:
            watch.watch(read: wantsInput, write: false)
            if machine.outputWritten() { close() }
        }
    }

    // MARK: Deadlines and drain

    /// Called by the sweeper once a second.
    func enforceDeadline(now: ContinuousClock.Instant) {
        carryOut(machine.deadlinePassed(at: now))
    }

    /// Drain: an idle connection closes now, a busy one after its response.
    func closeWhenIdle() {
        carryOut(machine.drain())
    }

    func carryOut(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .none: break
        case .close: close()
        case .timeOut where transport.isHandshaking || tunnelPhase.isOpening:
            ProxyMetrics.tlsHandshakeEnded(result: "timeout")
            endTunnel(because: "the client did not complete its TLS handshake within limits.headTimeout")
        case .timeOut: reject(.requestTimeout(seconds: limits.headTimeout.seconds))
        }
    }
}
