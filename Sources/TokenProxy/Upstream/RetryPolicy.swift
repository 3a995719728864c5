// SPDX-License-Identifier: Apache-2.0

/// Whether an upstream try's outcome goes to the client or is tried again
/// (`retryAttempts`, `retryDelay`), free of I/O and clocks.
///
/// A response outside 2xx or a transport failure is retried up to
/// `retryAttempts` times, `retryDelay` apart (longer when `Retry-After` asks
/// for it and time remains). `408` is retried without counting while time
/// remains before the deadline; after that the exchange has timed out.
struct RetryPolicy: Equatable {
    typealias Instant = ContinuousClock.Instant

    var retryAttempts: Int
    var retryDelay: Duration

    enum Outcome: Equatable {
        case response(status: Int, retryAfter: Duration?)
        case failure(CurlError.Kind)
    }

    enum Decision: Equatable {
        /// Give this outcome to the client.
        case deliver
        /// Try again after the pause; `counted` says whether it uses one of `retryAttempts`.
        case retry(after: Duration, counted: Bool)
        /// No time is left for the uncounted `408` retries: answer `504`.
        case timedOut
    }

    func decide(_ outcome: Outcome, retriesUsed: Int, now: Instant, deadline: Instant) -> Decision {
        switch outcome {
        case .response(let status, _) where (200..<300).contains(status):
            return .deliver
        case .response(408, let retryAfter):
            let pause = pause(retryAfter: retryAfter, now: now, deadline: deadline)
            return now + pause < deadline ? .retry(after: pause, counted: false) : .timedOut
        case .failure(.aborted):
            return .deliver
        case .response(_, let retryAfter):
            guard retriesUsed < retryAttempts else { return .deliver }
            return .retry(after: pause(retryAfter: retryAfter, now: now, deadline: deadline), counted: true)
        case .failure:
            guard retriesUsed < retryAttempts else { return .deliver }
            return .retry(after: retryDelay, counted: true)
        }
    }

    /// `retryDelay`, or `Retry-After` when it asks for longer and the deadline allows it.
    private func pause(retryAfter: Duration?, now: Instant, deadline: Instant) -> Duration {
        guard let retryAfter, retryAfter > retryDelay, now + retryAfter < deadline else { return retryDelay }
        return retryAfter
    }
}
