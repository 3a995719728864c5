// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// Forwards one client request upstream and streams the answer back: gets the
/// route's token, runs tries under the retry policy, replays once with a new
/// token after a `401`, and maps failures to the contract's errors.
///
/// `@unchecked Sendable` because it is confined to the loop queue of the client
/// connection (and of `multi`); its callbacks hop back to that queue.
/// Kept alive by its running transfer, its pending token request or its retry timer.
final class UpstreamExchange: UpstreamTransferDelegate, @unchecked Sendable {
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

    private enum AfterDiscard {
        case replayWithNewToken
        case retry(after: Duration)
        case timedOut
        /// The response was not the upstream's: a chained proxy refused the request.
        case failed(CurlError)
    }

    private let route: Route
    private let request: UpstreamRequest
    private let sink: ResponseSink
    private let multi: CurlMulti
    private let policy: RetryPolicy
    private let deadline: ContinuousClock.Instant
    private let onFinish: (Summary) -> Void
    private var tries = 0
    private var retriesUsed = 0
    private var replayedAfter401 = false
    private var token: Secret?
    private var transfer: UpstreamTransfer?
    private var afterDiscard: AfterDiscard?
    private var committedStatus: Int?
    private var upstreamProtocol: String?
    private var cancelled = false
    private var retriedStaleConnection = false
    private var finished = false

    init(
        request: UpstreamRequest, route: Route, sink: ResponseSink, multi: CurlMulti,
        onFinish: @escaping (Summary) -> Void
    ) {
        self.request = request
        self.route = route
        self.sink = sink
        self.multi = multi
        self.onFinish = onFinish
        policy = RetryPolicy(
            retryAttempts: route.configuration.retryAttempts, retryDelay: route.configuration.retryDelay)
        deadline = .now + request.timeout
    }

    func start() {
        sink.onClientGone = { [self] in cancel() }
        acquireTokenAndTry()
    }

    private func acquireTokenAndTry() {
        route.credentials.token(on: multi.queue) { [self] result in
            guard !cancelled else { return }
            switch result {
            case .success(let token):
                self.token = token
                startTry()
            case .failure(let error):
                fail(.tokenUnavailable(route: route.name, reason: error.description))
            }
        }
    }

    private func startTry(freshConnection: Bool = false) {
        tries += 1
        var attempt = request
        attempt.freshConnection = freshConnection
        attempt.bearerToken = token
        let transfer = UpstreamTransfer(request: attempt, multi: multi, delegate: self)
        self.transfer = transfer
        transfer.start()
    }

    /// The client went away: stop the try, and report the request as ended by the client (499, as nginx does).
    private func cancel() {
        cancelled = true
        transfer?.cancel()
        transfer = nil
        finish(
            Summary(
                status: committedStatus ?? 499, tries: tries, upstreamProtocol: upstreamProtocol,
                error: "client_gone", reason: "the client closed the connection before the response was complete"))
    }

    /// Reports the outcome once, however the exchange ended.
    private func finish(_ summary: Summary) {
        guard !finished else { return }
        finished = true
        onFinish(summary)
    }

    /// Says the exchange's last word to the sink. The sink's `onClientGone` held this exchange, so it is
    /// cleared first: once the response is complete, the connection may go on to its next request,
    /// whose exchange sets its own.
    private func hangUp(_ lastWord: (ResponseSink) -> Void) {
        sink.onClientGone = nil
        lastWord(sink)
    }

    // MARK: UpstreamTransferDelegate

    func transfer(_ transfer: UpstreamTransfer, didReceive head: UpstreamResponseHead) -> UpstreamTransfer.BodyHandling
    {
        // A plain http:// request goes to the chained proxy in absolute form, so its refusal arrives as a response.
        if head.status == 407, case .through = request.connection.proxy {
            afterDiscard = .failed(.proxyAnswered(status: head.status, reason: head.reason))
            return .discard
        }
        if head.status == 401, !replayedAfter401, let token, case .clientCredentials(let source) = route.credentials {
            replayedAfter401 = true
            source.reject(token)
            afterDiscard = .replayWithNewToken
            return .discard
        }
        let outcome = RetryPolicy.Outcome.response(status: head.status, retryAfter: head.retryAfter)
        switch policy.decide(outcome, retriesUsed: retriesUsed, now: .now, deadline: deadline) {
        case .deliver:
            upstreamProtocol = transfer.httpVersion
            commit(head)
            return .keep
        case .retry(let pause, let counted):
            if counted { retriesUsed += 1 }
            afterDiscard = .retry(after: pause)
            return .discard
        case .timedOut:
            afterDiscard = .timedOut
            return .discard
        }
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
        if let status = committedStatus {
            finishCommitted(status: status, result: result)
            return
        }
        let next = afterDiscard
        afterDiscard = nil
        switch (next, result) {
        case (.replayWithNewToken?, _):
            acquireTokenAndTry()
        case (.retry(let pause)?, _):
            retry(after: pause)
        case (.timedOut?, _):
            fail(.upstreamTimeout(seconds: request.timeout.seconds))
        case (nil, .failure(let error)) where isStaleConnection(transfer, error):
            // A kept-alive connection the upstream had closed: the request never got there. Once, uncounted,
            // on a new connection (other cached ones may have died with it).
            retriedStaleConnection = true
            startTry(freshConnection: true)
        case (.failed(let error)?, _), (nil, .failure(let error)):
            retryOrFail(error)
        case (nil, .success):
            fail(.upstreamUnreachable("the upstream closed the connection without a response"))
        }
    }

    /// Methods that may be sent twice without changing the outcome (RFC 9110 9.2.2).
    private static let idempotentMethods: Set<String> = ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]

    /// Whether a try failed because its reused connection had died before any response arrived.
    private func isStaleConnection(_ transfer: UpstreamTransfer, _ error: CurlError) -> Bool {
        !retriedStaleConnection && transfer.head == nil && transfer.reusedConnection
            && error.kind == .transport  // a send or receive failure, not a refused connect
            && Self.idempotentMethods.contains(request.method)
    }

    private func retryOrFail(_ error: CurlError) {
        switch policy.decide(.failure(error.kind), retriesUsed: retriesUsed, now: .now, deadline: deadline) {
        case .retry(let pause, _):
            retriesUsed += 1
            retry(after: pause)
        case .deliver, .timedOut:
            fail(proxyError(for: error))
        }
    }

    /// The contract's error for a try that failed: a timeout, a chained proxy's refusal, or another failure.
    private func proxyError(for error: CurlError) -> ProxyError {
        .upstreamFailure(error, proxy: request.connection.proxy, timeout: request.timeout)
    }

    // MARK: Answering the client

    private func commit(_ head: UpstreamResponseHead) {
        committedStatus = head.status
        sink.sendHead(ResponseHead(status: head.status, reason: head.reason, headers: head.headers.endToEnd()))
    }

    private func finishCommitted(status: Int, result: Result<Void, CurlError>) {
        switch result {
        case .success:
            hangUp { $0.finish() }
            finish(Summary(status: status, tries: tries, upstreamProtocol: upstreamProtocol))
        case .failure(let error):
            // The head is out: a short body must not look complete, so the connection goes.
            hangUp { $0.abort() }
            finish(
                Summary(
                    status: status, tries: tries, upstreamProtocol: upstreamProtocol,
                    error: "cut_short", reason: error.message))
        }
    }

    private func retry(after pause: Duration) {
        guard pause > .zero else {
            startTry()
            return
        }
        multi.queue.asyncAfter(deadline: .now() + .milliseconds(Int(pause.milliseconds))) { [self] in
            if !cancelled { startTry() }
        }
    }

    private func fail(_ error: ProxyError) {
        hangUp { $0.respond(with: error) }
        finish(Summary(status: error.status, tries: tries, error: error.code, reason: error.message))
    }
}
