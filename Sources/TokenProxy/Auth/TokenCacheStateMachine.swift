// SPDX-License-Identifier: Apache-2.0

/// The policy of one route's token cache, free of I/O and clocks: the caller
/// passes the time and carries out what each method returns.
///
/// - A token is used until `expires_in` less a safety margin (a tenth of the
///   lifetime, at most 30 s), and refreshed once three quarters of that
///   usable time has passed, so requests rarely wait.
/// - One fetch at a time: callers that need a token while a fetch runs wait for it.
/// - After a failure, fetches are retried in the background with exponential
///   back-off from 1 s up to 30 s, so readiness recovers without traffic.
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

    private(set) var token: CachedToken?
    private(set) var isFetching = false
    private(set) var consecutiveFailures = 0

    enum Need: Equatable {
        /// Use this token now.
        case ready(Secret)
        /// Wait for the fetch; start it when `startFetch` is true.
        case wait(startFetch: Bool)
    }

    /// A request needs a token.
    mutating func tokenNeeded(at now: Instant) -> Need {
        if let token, now < token.usableUntil {
            return .ready(token.value)
        }
        token = nil
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
        return cached.refreshAt
    }

    /// A fetch failed; returns when the timer should fire next (the retry).
    mutating func fetchFailed(at now: Instant) -> Instant {
        isFetching = false
        consecutiveFailures += 1
        let backoff = Duration.seconds(1 << min(consecutiveFailures - 1, 5))
        return now + min(backoff, Self.maximumBackoff)
    }

    private mutating func beginFetch() -> Bool {
        guard !isFetching else { return false }
        isFetching = true
        return true
    }
}
