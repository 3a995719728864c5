// SPDX-License-Identifier: Apache-2.0
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
