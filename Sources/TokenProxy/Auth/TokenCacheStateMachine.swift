// SPDX-License-Identifier: Apache-2.0

/// The policy of one route's token cache, free of I/O and clocks: the caller
/// passes the time and carries out what each method returns.
///
/// - A token is used until `expires_in` less a safety margin (a tenth of the
///   lifetime, at most 30 s), and refreshed once three quarters of that
///   usable time has passed, so requests rarely wait.
/// - One fetch at a time: callers that need a token while a fetch runs wait for it.
/// - After a failure, fetches are retried in the background with exponential
///   back-off from 1 s up to 30 s, less up to a fifth at random (jitter), so
///   readiness recovers without traffic. A `Retry-After` from the endpoint
///   stretches the wait. Until the retry is due, requests without a valid
///   token fail at once: client traffic never makes a failing endpoint busier.
///   A token that is still valid keeps being used meanwhile.
/// - An upstream `401` for the current token discards it; a `401` for a token
///   already replaced changes nothing (one refetch per burst).
struct TokenCacheStateMachine {
    typealias Instant = ContinuousClock.Instant

    struct CachedToken: Equatable {
        var value: Secret
        var usableUntil: Instant
        var refreshAt: Instant
    }

    /// Lifetime assumed when the endpoint sends no `expires_in`.
    static let defaultLifetime = Duration.seconds(300)
    static let maximumMargin = Duration.seconds(30)
    static let maximumBackoff = Duration.seconds(30)
    /// The longest `Retry-After` honoured, so a mistaken header cannot stall a route for hours.
    static let maximumRetryAfter = Duration.seconds(300)

    private(set) var token: CachedToken?
    private(set) var isFetching = false
    private(set) var consecutiveFailures = 0
    /// When the retry after the last failure is due; nil after a success.
    private(set) var retryAt: Instant?

    enum Need: Equatable {
        /// Use this token now.
        case ready(Secret)
        /// Wait for the fetch; start it when `startFetch` is true.
        case wait(startFetch: Bool)
        /// The last fetch failed and its retry is not due yet: fail now with that failure.
        case failFast
    }

    /// A request needs a token.
    mutating func tokenNeeded(at now: Instant) -> Need {
        if let token, now < token.usableUntil {
            return .ready(token.value)
        }
        token = nil
        if !isFetching, let retryAt, now < retryAt { return .failFast }
        return .wait(startFetch: beginFetch())
    }

    /// The background timer fired; returns whether to start a fetch.
    mutating func timerFired(at now: Instant) -> Bool {
        if let token, now < token.refreshAt { return false }
        return beginFetch()
    }

    /// The upstream refused `value`; returns whether to start a fetch.
    mutating func tokenRejected(_ value: Secret) -> Bool {
        guard let token, token.value == value else { return false }
        self.token = nil
        return beginFetch()
    }

    /// A fetch succeeded; returns when the timer should fire next (the refresh).
    mutating func fetchSucceeded(_ value: Secret, expiresIn: Duration?, at now: Instant) -> Instant {
        let lifetime = expiresIn ?? Self.defaultLifetime
        let usable = lifetime - min(Self.maximumMargin, lifetime / 10)
        let cached = CachedToken(value: value, usableUntil: now + usable, refreshAt: now + usable * 0.75)
        token = cached
        isFetching = false
        consecutiveFailures = 0
        retryAt = nil
        return cached.refreshAt
    }

    /// A fetch failed; returns when the timer should fire next (the retry).
    ///
    /// - Parameters:
    ///   - retryAfter: the endpoint's `Retry-After` (on `429` or `503`), honoured up to five minutes.
    ///   - jitter: a random number in `0..<1`, passed in so the policy stays free of randomness.
    mutating func fetchFailed(at now: Instant, retryAfter: Duration? = nil, jitter: Double = 0) -> Instant {
        isFetching = false
        consecutiveFailures += 1
        let step = min(Duration.seconds(1 << min(consecutiveFailures - 1, 5)), Self.maximumBackoff)
        var delay = step - step * (0.2 * min(max(jitter, 0), 1))
        if let retryAfter { delay = max(delay, min(retryAfter, Self.maximumRetryAfter)) }
        retryAt = now + delay
        return now + delay
    }

    private mutating func beginFetch() -> Bool {
        guard !isFetching else { return false }
        isFetching = true
        return true
    }
}
