// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

@Suite struct TokenCacheStateMachineTests {
    private let start = ContinuousClock.now
    private let token = Secret("t1")

    @Test func firstNeedStartsOneFetchAndLaterNeedsWait() {
        var machine = TokenCacheStateMachine()
        #expect(machine.tokenNeeded(at: start) == .wait(startFetch: true))
        for _ in 0..<49 {
            #expect(machine.tokenNeeded(at: start) == .wait(startFetch: false))
        }
    }

    @Test func tokenIsUsableUntilExpiryLessMarginAndRefreshedAhead() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        let refreshAt = machine.fetchSucceeded(token, expiresIn: .seconds(100), at: start)
        // Margin: a tenth of 100 s; refresh after three quarters of the 90 s usable.
        #expect(refreshAt == start + .milliseconds(67_500))
        #expect(machine.tokenNeeded(at: start + .seconds(89)) == .ready(token))
        let early = machine.timerFired(at: start + .seconds(60))
        let due = machine.timerFired(at: refreshAt)
        #expect(!early)
        #expect(due)
        #expect(machine.tokenNeeded(at: start + .seconds(90)) == .wait(startFetch: false))
    }

    @Test func marginIsAtMostThirtySeconds() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        _ = machine.fetchSucceeded(token, expiresIn: .seconds(3600), at: start)
        #expect(machine.token?.usableUntil == start + .seconds(3570))
    }

    @Test func missingExpiresInUsesTheDefaultLifetime() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        _ = machine.fetchSucceeded(token, expiresIn: nil, at: start)
        #expect(machine.token?.usableUntil == start + .seconds(270))
    }

    @Test func failuresBackOffUpToThirtySeconds() {
        var machine = TokenCacheStateMachine()
        var retries: [Duration] = []
        for _ in 0..<7 {
            _ = machine.timerFired(at: start)
            retries.append(machine.fetchFailed(at: start) - start)
        }
        #expect(retries == [1, 2, 4, 8, 16, 30, 30].map { .seconds($0) })
    }

    @Test func burstOfRejectionsForOneTokenRefetchesOnce() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        _ = machine.fetchSucceeded(token, expiresIn: .seconds(300), at: start)
        let first = machine.tokenRejected(token)
        let again = machine.tokenRejected(token)
        _ = machine.fetchSucceeded(Secret("t2"), expiresIn: .seconds(300), at: start)
        let late = machine.tokenRejected(token)
        #expect(first && !again && !late)
        #expect(machine.tokenNeeded(at: start) == .ready(Secret("t2")))
    }

    @Test func failedRefreshKeepsTheStillValidToken() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        _ = machine.fetchSucceeded(token, expiresIn: .seconds(100), at: start)
        let refreshing = machine.timerFired(at: start + .seconds(70))
        #expect(refreshing)
        _ = machine.fetchFailed(at: start + .seconds(70))
        #expect(machine.tokenNeeded(at: start + .seconds(71)) == .ready(token))
    }
}

/// What requests get while the token endpoint fails: the last failure at once, until the retry is due.
@Suite struct TokenCacheBackoffTests {
    private let start = ContinuousClock.now
    private let token = Secret("t1")

    @Test func afterAFailureRequestsFailFastUntilTheRetryIsDue() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        let retryAt = machine.fetchFailed(at: start)
        #expect(retryAt == start + .seconds(1))
        for offset in [0, 10, 999] {
            #expect(machine.tokenNeeded(at: start + .milliseconds(offset)) == .failFast)
        }
        // The retry starts the one fetch; requests that arrive during it wait for it.
        let retrying = machine.timerFired(at: retryAt)
        #expect(retrying)
        #expect(machine.tokenNeeded(at: retryAt) == .wait(startFetch: false))
    }

    @Test func aRequestAfterTheRetryInstantStartsTheFetchItself() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        let retryAt = machine.fetchFailed(at: start)
        #expect(machine.tokenNeeded(at: retryAt) == .wait(startFetch: true))
    }

    @Test func successEndsTheFailureAndTheBackoff() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        for _ in 0..<3 {
            _ = machine.fetchFailed(at: start)
            _ = machine.timerFired(at: start)
        }
        _ = machine.fetchSucceeded(token, expiresIn: .seconds(100), at: start)
        #expect(machine.retryAt == nil)
        #expect(machine.tokenNeeded(at: start) == .ready(token))
        // The next failure starts the backoff from 1 s again.
        let refreshing = machine.timerFired(at: start + .seconds(80))
        #expect(refreshing)
        #expect(machine.fetchFailed(at: start + .seconds(80)) == start + .seconds(81))
    }

    @Test func jitterShortensEachStepByAtMostAFifth() {
        var machine = TokenCacheStateMachine()
        var retries: [Duration] = []
        for _ in 0..<7 {
            _ = machine.timerFired(at: start)
            retries.append(machine.fetchFailed(at: start, jitter: 0.999_999) - start)
        }
        let steps: [Duration] = [1, 2, 4, 8, 16, 30, 30].map { .seconds($0) }
        for (retry, step) in zip(retries, steps) {
            #expect(retry > step * 0.8 - .milliseconds(1) && retry < step, "\(retry) for step \(step)")
        }
    }

    @Test func retryAfterStretchesTheWaitUpToFiveMinutes() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        #expect(machine.fetchFailed(at: start, retryAfter: .seconds(7)) == start + .seconds(7))
        #expect(machine.tokenNeeded(at: start + .seconds(6)) == .failFast)
        _ = machine.timerFired(at: start + .seconds(7))
        // A Retry-After shorter than the backoff step does not shorten it.
        #expect(machine.fetchFailed(at: start, retryAfter: .zero) == start + .seconds(2))
        _ = machine.timerFired(at: start)
        #expect(machine.fetchFailed(at: start, retryAfter: .seconds(86_400)) == start + .seconds(300))
    }

    @Test func aStillValidTokenIsServedWhileItsRefreshFails() {
        var machine = TokenCacheStateMachine()
        _ = machine.tokenNeeded(at: start)
        _ = machine.fetchSucceeded(token, expiresIn: .seconds(100), at: start)
        _ = machine.timerFired(at: start + .seconds(70))
        let retryAt = machine.fetchFailed(at: start + .seconds(70))
        #expect(machine.tokenNeeded(at: retryAt - .milliseconds(1)) == .ready(token))
        // Once it expires, requests fail fast until the retry.
        _ = machine.timerFired(at: start + .seconds(89))
        let next = machine.fetchFailed(at: start + .seconds(89))
        #expect(machine.tokenNeeded(at: start + .seconds(90)) == .failFast)
        #expect(next > start + .seconds(90))
    }
}

@Suite struct RetryAfterTests {
    private let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func readsDelaySecondsAndHTTPDates() {
        #expect(RetryAfter.delay("120", now: now) == .seconds(120))
        #expect(RetryAfter.delay(" 0 ", now: now) == .zero)
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
    }

    @Test(arguments: ["", "-5", "1.5", "soon", "99999999999999999999999"])
    func ignoresWhatIsNeitherForm(_ value: String) {
        #expect(RetryAfter.delay(value, now: now) == nil)
    }

    @Test func appliesOnlyTo429And503() {
        #expect([429, 503].allSatisfy(RetryAfter.applies(to:)))
        #expect(![500, 502, 400, 200].contains(where: RetryAfter.applies(to:)))
    }
}
