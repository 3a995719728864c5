// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct RetryPolicyTests {
    private let now = ContinuousClock.now
    private var deadline: ContinuousClock.Instant { now + .seconds(10) }

    @Test func successIsDelivered() {
        let policy = RetryPolicy(retryAttempts: 3, retryDelay: .seconds(1))
        #expect(
            policy.decide(.response(status: 204, retryAfter: nil), retriesUsed: 0, now: now, deadline: deadline)
                == .deliver)
    }

    @Test func errorsAreRetriedUntilAttemptsAreUsed() {
        let policy = RetryPolicy(retryAttempts: 2, retryDelay: .seconds(1))
        let outcome = RetryPolicy.Outcome.response(status: 500, retryAfter: nil)
        #expect(
            policy.decide(outcome, retriesUsed: 1, now: now, deadline: deadline)
                == .retry(after: .seconds(1), counted: true))
        #expect(policy.decide(outcome, retriesUsed: 2, now: now, deadline: deadline) == .deliver)
        #expect(
            policy.decide(.failure(.connect), retriesUsed: 0, now: now, deadline: deadline)
                == .retry(after: .seconds(1), counted: true))
    }

    @Test func noRetriesByDefault() {
        let policy = RetryPolicy(retryAttempts: 0, retryDelay: .zero)
        #expect(
            policy.decide(.response(status: 503, retryAfter: nil), retriesUsed: 0, now: now, deadline: deadline)
                == .deliver)
        #expect(policy.decide(.failure(.connect), retriesUsed: 0, now: now, deadline: deadline) == .deliver)
    }

    @Test func requestTimeoutIsRetriedUncountedWhileTimeRemains() {
        let policy = RetryPolicy(retryAttempts: 0, retryDelay: .seconds(1))
        let outcome = RetryPolicy.Outcome.response(status: 408, retryAfter: nil)
        #expect(
            policy.decide(outcome, retriesUsed: 0, now: now, deadline: deadline)
                == .retry(after: .seconds(1), counted: false))
        #expect(policy.decide(outcome, retriesUsed: 0, now: now + .seconds(9.5), deadline: deadline) == .timedOut)
    }

    @Test func retryAfterLongerThanDelayIsHonouredWithinTheDeadline() {
        let policy = RetryPolicy(retryAttempts: 1, retryDelay: .seconds(1))
        let polite = RetryPolicy.Outcome.response(status: 503, retryAfter: .seconds(3))
        let greedy = RetryPolicy.Outcome.response(status: 503, retryAfter: .seconds(60))
        #expect(
            policy.decide(polite, retriesUsed: 0, now: now, deadline: deadline)
                == .retry(after: .seconds(3), counted: true))
        #expect(
            policy.decide(greedy, retriesUsed: 0, now: now, deadline: deadline)
                == .retry(after: .seconds(1), counted: true))
    }

    @Test func transfersStoppedByTheProxyAreNotRetried() {
        let policy = RetryPolicy(retryAttempts: 3, retryDelay: .zero)
        #expect(policy.decide(.failure(.aborted), retriesUsed: 0, now: now, deadline: deadline) == .deliver)
    }
}
