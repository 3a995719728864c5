// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// Forwards one client request upstream and streams the answer back, carrying out what its
/// `ExchangeStateMachine` decides: token, tries, `401` replay, retries, and the contract's errors.
///
/// Confined to its loop's queue (that of `multi`); owned by the loop's `LiveExchanges` from
/// `start()` until it reports its summary. The client connection stops it through an `ExchangeCancellation`.
final class UpstreamExchange: UpstreamTransferDelegate {
    /// What the request log line reports.
    struct Summary {
        var status: Int
        var tries: Int
        /// The HTTP version of the upstream response ("1.1", "2"); nil when none was passed on.
        var upstreamProtocol: String?
        /// The contract's error code when token-proxy answered with one, else a short label ("cut_short").
        var error: String?
        /// What went wrong, for the log.
        var reason: String?
    }

    private var machine: ExchangeStateMachine
    private let route: Route
    private let request: UpstreamRequest
    private let sink: ResponseSink
    private let multi: CurlMulti
    private let live: LiveExchanges
    private let onFinish: (Summary) -> Void
    /// The route's, or none where the token must not go (`TRACE`).
    private let credentials: CredentialSource
    private var token: Secret?
    private var transfer: UpstreamTransfer?
    private var retryTimer: DispatchWorkItem?
    private var committedStatus: Int?
    private var upstreamProtocol: String?

    init(
        request: UpstreamRequest, route: Route, credentials: CredentialSource, sink: ResponseSink, loop: EventLoop,
        onFinish: @escaping (Summary) -> Void
    ) {
        self.request = request
        self.route = route
        self.credentials = credentials
        self.sink = sink
        multi = loop.multi
        live = loop.exchanges
        self.onFinish = onFinish
        var viaChainedProxy = false
        if case .through = request.connection.proxy { viaChainedProxy = true }
        var refreshable = false
        if case .clientCredentials = credentials { refreshable = true }
        machine = ExchangeStateMachine(
            policy: RetryPolicy(
                retryAttempts: route.configuration.retryAttempts, retryDelay: route.configuration.retryDelay),
            deadline: .now + request.timeout, method: request.method, viaChainedProxy: viaChainedProxy,
            refreshableToken: refreshable)
    }

    /// Starts the exchange on its loop's queue.
    func start() {
        live.insert(self)
        perform(machine.start())
    }

    /// The client went away: stop the try, and report the request as ended by the client (499, as nginx does).
    func clientGone() {
        perform(machine.clientGone())
    }

    private var body: RequestBody? {
        if case .stream(let body) = request.body { body } else { nil }
    }

    private var bodyCanRewind: Bool { body?.canRewind ?? true }

    private func perform(_ action: ExchangeStateMachine.Action) {
        switch action {
        case .fetchToken:
            let exchange = LoopBound(self, queue: multi.queue)
            credentials.token(on: multi.queue) { result in
                exchange.local.tokenResolved(result)
            }
        case .startTry(let freshConnection):
            startTry(freshConnection: freshConnection)
        case .startTryAfter(let pause):
            let exchange = LoopBound(self, queue: multi.queue)
            let timer = DispatchWorkItem { exchange.local.retryTimerFired() }
            retryTimer = timer
            multi.queue.asyncAfter(deadline: .now() + .milliseconds(Int(pause.milliseconds)), execute: timer)
        case .fail(let failure):
            let error = proxyError(for: failure)
            sink.respond(with: error)
            finish(Summary(status: error.status, tries: machine.tries, error: error.code, reason: error.message))
        case .finishResponse:
            sink.finish()
            finish(Summary(status: committedStatus ?? 0, tries: machine.tries, upstreamProtocol: upstreamProtocol))
        case .abortResponse(let error):
            // The head is out: a short body must not look complete, so the connection goes.
            sink.abort()
            finish(
                Summary(
                    status: committedStatus ?? 0, tries: machine.tries, upstreamProtocol: upstreamProtocol,
                    error: "cut_short", reason: error.message))
        case .cancel:
            transfer?.cancel()
            retryTimer?.cancel()
            finish(
                Summary(
                    status: committedStatus ?? 499, tries: machine.tries, upstreamProtocol: upstreamProtocol,
                    error: "client_gone", reason: "the client closed the connection before the response was complete"))
        case .nothing:
            break
        }
    }

    private func tokenResolved(_ result: Result<Secret?, TokenError>) {
        switch result {
        case .success(let token):
            self.token = token
            perform(machine.tokenArrived())
        case .failure(let error):
            perform(machine.tokenFailed(error.description))
        }
    }

    private func retryTimerFired() {
        perform(machine.retryTimerFired())
    }

    private func startTry(freshConnection: Bool) {
        if machine.tries > 1 { _ = body?.rewind() }  // the machine starts another try only when it can
        var attempt = request
        attempt.freshConnection = freshConnection
        attempt.bearerToken = token
        let transfer = UpstreamTransfer(request: attempt, multi: multi, delegate: self)
        self.transfer = transfer
        transfer.start()
    }

    /// Reports the outcome once and lets go of the body and of the exchange itself.
    private func finish(_ summary: Summary) {
        transfer = nil
        retryTimer = nil
        body?.release()
        onFinish(summary)
        live.remove(self)
    }

    // MARK: UpstreamTransferDelegate

    /// An upstream's interim response goes on to the client (RFC 9110 15.2), except `100 Continue`,
    /// which token-proxy answers on the client's side itself, and `101`: `Upgrade` is never forwarded.
    func transfer(_ transfer: UpstreamTransfer, didReceiveInterim head: UpstreamResponseHead) {
        guard head.status >= 102 else { return }
        sink.sendInterim(ResponseHead(status: head.status, reason: head.reason, headers: head.headers.endToEnd()))
    }

    func transfer(_ transfer: UpstreamTransfer, didReceive head: UpstreamResponseHead) -> UpstreamTransfer.BodyHandling
    {
        let verdict = machine.headArrived(
            status: head.status, retryAfter: head.retryAfter, bodyCanRewind: bodyCanRewind, now: .now)
        if verdict.rejectToken, let token, case .clientCredentials(let source) = credentials {
            source.reject(token)
        }
        guard verdict.deliver else { return .discard }
        upstreamProtocol = transfer.httpVersion
        committedStatus = head.status
        sink.sendHead(ResponseHead(status: head.status, reason: head.reason, headers: head.headers.endToEnd()))
        return .keep
    }

    func transfer(_ transfer: UpstreamTransfer, didReceiveBody bytes: UnsafeRawBufferPointer) -> Bool {
        guard !sink.isBackedUp else {
            sink.whenDrained { [weak transfer] in transfer?.resume() }
            return false
        }
        sink.sendBody(bytes)
        return true
    }

    func transfer(_ transfer: UpstreamTransfer, didCompleteWith result: Result<Void, CurlError>) {
        self.transfer = nil
        let end: ExchangeStateMachine.TryEnd
        switch result {
        case .success:
            end = .completed
        case .failure(let error):
            end = .failed(error, staleCandidate: transfer.head == nil && transfer.reusedConnection)
        }
        perform(machine.tryEnded(end, bodyCanRewind: bodyCanRewind, now: .now))
    }

    // MARK: Errors

    private func proxyError(for failure: ExchangeStateMachine.Failure) -> ProxyError {
        switch failure {
        case .tokenUnavailable(let reason):
            return .tokenUnavailable(route: route.name, reason: reason)
        case .timedOut:
            return .upstreamTimeout(seconds: request.timeout.seconds)
        case .proxyRefused(let status, let reason):
            return proxyError(for: .proxyAnswered(status: status, reason: reason))
        case .noResponse:
            return .upstreamUnreachable("the upstream closed the connection without a response")
        case .transfer(let error):
            return proxyError(for: error)
        }
    }

    private func proxyError(for error: CurlError) -> ProxyError {
        .upstreamFailure(error, proxy: request.connection.proxy, timeout: request.timeout)
    }
}
