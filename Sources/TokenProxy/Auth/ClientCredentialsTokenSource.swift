// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Foundation
import Logging
import Synchronization

/// Gets, caches and refreshes one route's OAuth 2.0 client-credentials token.
///
/// The cache policy is `TokenCacheStateMachine`; this type carries it out on
/// its home loop's queue, where the token request runs as a curl transfer. Any
/// loop may ask for a token: a valid one is read from a lock-protected snapshot
/// without leaving the caller's queue; otherwise the caller waits on the home
/// queue with every other waiter for the one fetch, and is answered on its own queue.
public final class ClientCredentialsTokenSource: @unchecked Sendable {
    public typealias Instant = ContinuousClock.Instant

    let routeName: String
    /// The settings this source fetches with; a reload keeps the source (and its token) only while they stay equal.
    let credentials: ClientCredentials
    private var connection: UpstreamConnection
    private var authenticator: ClientAuthenticator
    private let timeout: Duration
    private let home: CurlMulti
    private let logger: Logger
    private let now: @Sendable () -> Instant
    /// A number in `0..<1` for each retry's jitter.
    private let jitter: @Sendable () -> Double
    /// What other queues may read: the cached token and the last failure.
    private let published = Mutex<(token: TokenCacheStateMachine.CachedToken?, lastError: TokenError?)>((nil, nil))
    private let timer: DispatchSourceTimer
    private var machine = TokenCacheStateMachine()
    private var waiters: [(Result<Secret, TokenError>) -> Void] = []

    init(
        routeName: String, credentials: ClientCredentials, authenticator: ClientAuthenticator,
        connection: UpstreamConnection, timeout: Duration, home: CurlMulti, logger: Logger,
        now: @escaping @Sendable () -> Instant = { .now },
        jitter: @escaping @Sendable () -> Double = { .random(in: 0..<1) }
    ) {
        self.routeName = routeName
        self.credentials = credentials
        self.authenticator = authenticator
        self.connection = connection
        self.timeout = timeout
        self.home = home
        self.logger = logger
        self.now = now
        self.jitter = jitter
        timer = DispatchSource.makeTimerSource(queue: home.queue)
        timer.setEventHandler { [unowned self] in
            if machine.timerFired(at: self.now()) { fetch() }
        }
        timer.schedule(deadline: .distantFuture)
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    /// Uses reloaded TLS stores, signing key and proxy settings for the next token request.
    func update(connection: UpstreamConnection, authenticator: ClientAuthenticator) {
        home.queue.async { [self] in
            self.connection = connection
            self.authenticator = authenticator
        }
    }

    /// Fetches the first token in the background (start-up).
    func prefetch() {
        home.queue.async { [self] in
            if case .wait(startFetch: true) = machine.tokenNeeded(at: now()) { fetch() }
        }
    }

    /// Calls `completion` on `queue` with a valid token, at once when one is cached.
    func token(on queue: DispatchQueue, completion: @escaping @Sendable (Result<Secret, TokenError>) -> Void) {
        let instant = now()
        if let cached = published.withLock({ $0.token }), instant < cached.usableUntil {
            completion(.success(cached.value))
            return
        }
        home.queue.async { [self] in
            let answer: (Result<Secret, TokenError>) -> Void = { result in queue.async { completion(result) } }
            switch machine.tokenNeeded(at: now()) {
            case .ready(let value):
                answer(.success(value))
            case .failFast:
                // `complete` publishes the failure in the same turn that starts the backoff, so it is there.
                let lastError = published.withLock { $0.lastError }
                answer(.failure(lastError ?? .unreachable(url: credentials.accessTokenURL, reason: "no answer yet")))
            case .wait(let startFetch):
                waiters.append(answer)
                if startFetch { fetch() }
            }
        }
    }

    /// The upstream answered `401` to `value`: drop it unless it was already replaced.
    func reject(_ value: Secret) {
        // Hide the token from the fast path at once, so the replay that follows cannot pick it up again.
        published.withLock { if $0.token?.value == value { $0.token = nil } }
        home.queue.async { [self] in
            guard machine.tokenRejected(value) else { return }
            logger.info("upstream refused the token; fetching a new one", metadata: ["route": "\(routeName)"])
            fetch()
        }
    }

    /// Whether a valid token is cached, and if not, the last failure.
    func readiness() -> (ready: Bool, lastError: TokenError?) {
        let (token, lastError) = published.withLock { $0 }
        let ready = token.map { now() < $0.usableUntil } ?? false
        return (ready, ready ? nil : lastError)
    }

    private func fetch() {
        let url = credentials.accessTokenURL
        let headers: HTTPHeaders
        let body: [UInt8]
        do {
            (headers, body) = try TokenRequest.make(for: credentials, authenticator: authenticator, now: Date())
        } catch {
            complete(with: .failure(error), retryAfter: nil)
            return
        }
        let request = UpstreamRequest(
            url: url, method: "POST", headers: headers, body: .bytes(body), timeout: timeout, connection: connection)
        BufferedExchange.run(request, on: home) { [self] result in
            let retryAfter = (try? result.get()).flatMap { response -> Duration? in
                guard RetryAfter.applies(to: response.head.status),
                    let value = response.head.headers.first(name: "Retry-After")
                else { return nil }
                return RetryAfter.delay(value, now: Date())
            }
            complete(
                with: result.mapError { .unreachable(url: url, reason: $0.message) }
                    .flatMap { response in
                        Result { () throws(TokenError) in
                            try TokenResponse.parse(
                                status: response.head.status, body: response.body, truncated: response.truncated,
                                url: url)
                        }
                    },
                retryAfter: retryAfter)
        }
    }

    private func complete(with result: Result<TokenResponse, TokenError>, retryAfter: Duration?) {
        let instant = now()
        let delivery: Result<Secret, TokenError>
        switch result {
        case .success(let response):
            let refreshAt = machine.fetchSucceeded(response.accessToken, expiresIn: response.expiresIn, at: instant)
            published.withLock { $0 = (machine.token, nil) }
            schedule(at: refreshAt)
            let usable = (machine.token?.usableUntil ?? instant) - instant
            ProxyMetrics.tokenFetched(route: routeName, result: "success", expiresAt: Date() + usable.seconds)
            logger.debug("token fetched", metadata: ["route": "\(routeName)"])
            delivery = .success(response.accessToken)
        case .failure(let error):
            let retryAt = machine.fetchFailed(at: instant, retryAfter: retryAfter, jitter: jitter())
            published.withLock { $0.lastError = error }
            schedule(at: retryAt)
            ProxyMetrics.tokenFetched(route: routeName, result: error.metricLabel, expiresAt: nil)
            let wait = (retryAt - instant).seconds.formatted(.number.precision(.fractionLength(1)))
            logger.error("token request failed: \(error); next try in \(wait) s", metadata: ["route": "\(routeName)"])
            delivery = .failure(error)
        }
        let waiting = waiters
        waiters.removeAll()
        waiting.forEach { $0(delivery) }
    }

    private func schedule(at instant: Instant) {
        let delay = max(instant - now(), .zero)
        timer.schedule(deadline: .now() + .milliseconds(Int(delay.milliseconds) + 1))
    }
}
