// SPDX-License-Identifier: Apache-2.0

/// What happens next to one upstream exchange, free of I/O and clocks: the token wait,
/// the tries under the retry policy, the `401` replay, the resend after a stale kept-alive
/// connection, the pause before a retry, and streaming the response once it is committed.
///
/// `UpstreamExchange` feeds it events with the current instant and whether the request body
/// can still be sent again (a body larger than the replay buffer can be sent once), and
/// carries out the actions it returns.
struct ExchangeStateMachine {
    typealias Instant = ContinuousClock.Instant

    enum State: Equatable {
        case idle
        case awaitingToken
        /// A try is running; `afterDiscard` says what comes after it when its response is not passed on.
        case trying(afterDiscard: AfterDiscard?)
        case waitingToRetry
        /// The response head went to the client; its body is streaming.
        case streaming
        case done
    }

    /// Why a try's response is read and dropped, and what comes next.
    enum AfterDiscard: Equatable {
        case replayWithNewToken
        case retry(after: Duration)
        case timedOut
        /// A chained proxy refused a plain request, which it answers as a response.
        case proxyRefused(status: Int, reason: String)
    }

    /// How the exchange ends when the client does not get the upstream's response.
    enum Failure: Equatable {
        case tokenUnavailable(String)
        case timedOut
        case transfer(CurlError)
        case proxyRefused(status: Int, reason: String)
        /// The upstream closed the connection without a response.
        case noResponse
    }

    enum Action: Equatable {
        case fetchToken
        /// Start a try, first rewinding the body if one was sent before.
        case startTry(freshConnection: Bool)
        /// Start a try once this pause is over (then call `retryTimerFired`).
        case startTryAfter(Duration)
        /// Answer with one of the proxy's errors.
        case fail(Failure)
        /// The committed response is complete.
        case finishResponse
        /// The committed response broke off: the client's connection must end without a complete body.
        case abortResponse(CurlError)
        /// The client left: stop what runs.
        case cancel
        case nothing
    }

    /// What to do with a response head.
    struct HeadVerdict: Equatable {
        /// Pass the response to the client (else read and drop it).
        var deliver: Bool
        /// The token was refused: drop it from the cache so the next request gets a new one.
        var rejectToken: Bool
    }

    /// A response or failure of one try, as far as the machine needs it.
    enum TryEnd: Equatable {
        case completed
        /// `staleCandidate`: the try ran on a kept-alive connection and no head had arrived.
        case failed(CurlError, staleCandidate: Bool)
    }

    private(set) var state = State.idle
    private(set) var tries = 0
    private var retriesUsed = 0
    private var replayedAfter401 = false
    private var resentOnFreshConnection = false
    private let policy: RetryPolicy
    private let deadline: Instant
    /// Methods that may be sent twice without changing the outcome (RFC 9110 9.2.2).
    private static let idempotentMethods: Set<String> = ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]
    /// Whether the request's method is one of them.
    private let idempotent: Bool
    /// Whether a plain request goes through a chained proxy in absolute form (its refusal is a response).
    private let viaChainedProxy: Bool
    /// Whether the route's token can be refused and fetched anew (client credentials).
    private let refreshableToken: Bool

    init(policy: RetryPolicy, deadline: Instant, method: String, viaChainedProxy: Bool, refreshableToken: Bool) {
        self.policy = policy
        self.deadline = deadline
        idempotent = Self.idempotentMethods.contains(method)
        self.viaChainedProxy = viaChainedProxy
        self.refreshableToken = refreshableToken
    }

    mutating func start() -> Action {
        guard state == .idle else { return .nothing }
        state = .awaitingToken
        return .fetchToken
    }

    mutating func tokenArrived() -> Action {
        guard state == .awaitingToken else { return .nothing }
        return startTry(freshConnection: false)
    }

    mutating func tokenFailed(_ reason: String) -> Action {
        guard state == .awaitingToken else { return .nothing }
        state = .done
        return .fail(.tokenUnavailable(reason))
    }

    /// A try's final response head arrived (1xx heads are not reported).
    mutating func headArrived(status: Int, retryAfter: Duration?, bodyCanRewind: Bool, now: Instant) -> HeadVerdict {
        guard case .trying = state else { return HeadVerdict(deliver: false, rejectToken: false) }
        if status == 407, viaChainedProxy {
            state = .trying(afterDiscard: .proxyRefused(status: status, reason: "Proxy Authentication Required"))
            return HeadVerdict(deliver: false, rejectToken: false)
        }
        if status == 401, refreshableToken, !replayedAfter401 {
            replayedAfter401 = true
            guard bodyCanRewind else {
                // A body sent once cannot go again: the client gets the 401, the next request a new token.
                state = .streaming
                return HeadVerdict(deliver: true, rejectToken: true)
            }
            state = .trying(afterDiscard: .replayWithNewToken)
            return HeadVerdict(deliver: false, rejectToken: true)
        }
        let outcome = RetryPolicy.Outcome.response(status: status, retryAfter: retryAfter)
        switch policy.decide(outcome, retriesUsed: retriesUsed, now: now, deadline: deadline) {
        case .retry(let pause, let counted) where bodyCanRewind:
            if counted { retriesUsed += 1 }
            state = .trying(afterDiscard: .retry(after: pause))
            return HeadVerdict(deliver: false, rejectToken: false)
        case .timedOut:
            state = .trying(afterDiscard: .timedOut)
            return HeadVerdict(deliver: false, rejectToken: false)
        case .deliver, .retry:
            state = .streaming
            return HeadVerdict(deliver: true, rejectToken: false)
        }
    }

    /// A try ended: its transfer completed or failed.
    mutating func tryEnded(_ end: TryEnd, bodyCanRewind: Bool, now: Instant) -> Action {
        switch state {
        case .streaming:
            state = .done
            if case .failed(let error, _) = end { return .abortResponse(error) }
            return .finishResponse
        case .trying(let afterDiscard?):
            switch afterDiscard {
            case .replayWithNewToken:
                state = .awaitingToken
                return .fetchToken
            case .retry(let pause):
                return pause > .zero ? wait(pause) : startTry(freshConnection: false)
            case .timedOut:
                state = .done
                return .fail(.timedOut)
            case .proxyRefused(let status, let reason):
                return retryOrFail(.proxyRefused(status: status, reason: reason), kind: .proxy, bodyCanRewind, now)
            }
        case .trying(nil):
            switch end {
            case .failed(let error, let staleCandidate)
            where staleCandidate && error.kind == .transport && idempotent && !resentOnFreshConnection
                && bodyCanRewind:
                // A kept-alive connection the upstream had closed: the request never got there. Once, uncounted,
                // on a new connection (other cached ones may have died with it).
                resentOnFreshConnection = true
                return startTry(freshConnection: true)
            case .failed(let error, _):
                let failure: Failure = error.kind == .timeout ? .timedOut : .transfer(error)
                return retryOrFail(failure, kind: error.kind, bodyCanRewind, now)
            case .completed:
                state = .done
                return .fail(.noResponse)
            }
        case .idle, .awaitingToken, .waitingToRetry, .done:
            return .nothing
        }
    }

    mutating func retryTimerFired() -> Action {
        guard state == .waitingToRetry else { return .nothing }
        return startTry(freshConnection: false)
    }

    /// The client closed its connection before the response was complete.
    mutating func clientGone() -> Action {
        guard state != .done else { return .nothing }
        state = .done
        return .cancel
    }

    private mutating func retryOrFail(
        _ failure: Failure, kind: CurlError.Kind, _ bodyCanRewind: Bool, _ now: Instant
    ) -> Action {
        if failure != .timedOut, bodyCanRewind,
            case .retry(let pause, _) = policy.decide(
                .failure(kind), retriesUsed: retriesUsed, now: now, deadline: deadline)
        {
            retriesUsed += 1
            return pause > .zero ? wait(pause) : startTry(freshConnection: false)
        }
        state = .done
        return .fail(failure)
    }

    private mutating func wait(_ pause: Duration) -> Action {
        state = .waitingToRetry
        return .startTryAfter(pause)
    }

    private mutating func startTry(freshConnection: Bool) -> Action {
        tries += 1
        state = .trying(afterDiscard: nil)
        return .startTry(freshConnection: freshConnection)
    }
}
