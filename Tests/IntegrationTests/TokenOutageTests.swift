// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// A failing token endpoint is not hammered: after a failure, requests get `502`
/// at once and only the backed-off background retry asks the endpoint again.
@Suite("Token endpoint outage")
struct TokenOutageTests {
    /// Sends `count` requests at once, each on its own connection and thread: each one's status, body and duration.
    private func burst(_ count: Int, to stack: ProxyStack) async throws -> [(HTTPResponse, Duration)] {
        let port = stack.proxy.port
        return try await withThrowingTaskGroup(of: (HTTPResponse, Duration).self) { group in
            for index in 0..<count {
                group.addTask {
                    try await DedicatedThread.run {
                        let start = ContinuousClock.now
                        let response = try HTTPClient(port: port).exchange(
                            HTTPRequest("GET", "http://\(ProxyStack.host)/outage/\(index)"))
                        return (response, ContinuousClock.now - start)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func burstDuringA500OutageCausesFewTokenRequestsAndQuick502s() async throws {
        let stack = try await ProxyStack { server in try server.failNext(status: 500, count: -1) }
        let server = stack.authorizationServer
        // The start-up fetch has failed: the route is in its backoff.
        #expect(try await eventually { try server.stats().tokenRequests >= 1 })
        let before = try server.stats().tokenRequests

        let started = ContinuousClock.now
        let results = try await burst(200, to: stack)
        let elapsed = ContinuousClock.now - started

        let during = try server.stats().tokenRequests - before
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.0.status == 502 })
        let bodies = try results.map { try ProxyErrorBody(response: $0.0) }
        #expect(bodies.allSatisfy { $0.error == "token_unavailable" && $0.message.contains("HTTP 500") })
        let slowest = results.map(\.1).max() ?? .zero
        #expect(slowest < .seconds(3), "slowest 502 took \(slowest)")
        // Only background retries reach the endpoint: 1 s, 2 s, 4 s apart, whatever the traffic.
        let retriesDue = Int((elapsed / .seconds(1)).rounded(.up)) + 1
        #expect(during <= min(retriesDue, 3), "\(during) token requests in \(elapsed)")
        #expect(try stack.upstream.requestCounts().isEmpty, "a request went upstream without a token")
    }

    @Test func recoveryComesWithinOneBackoffStep() async throws {
        let stack = try await ProxyStack { server in try server.failNext(status: 500, count: -1) }
        let server = stack.authorizationServer
        // Failures at about 0 s, 1 s and 3 s; the next retry is due about 4 s after the third.
        #expect(try await eventually(timeout: .seconds(20)) { try server.stats().tokenRequests >= 3 })
        // The endpoint returns; the records of the outage stay.
        try server.failNext(status: 500, count: 0)
        let returned = Date().timeIntervalSince1970

        var statuses: [Int] = []
        let recovered = try await eventually(timeout: .seconds(20)) {
            let status = try stack.send("/recovery").status
            statuses.append(status)
            return status == 200
        }

        #expect(recovered)
        #expect(Set(statuses.dropLast()).isSubset(of: [502]))
        let requests = try server.stats().requests
        let failures = requests.filter { $0.status == 500 }
        let gaps = zip(failures.dropFirst(), failures).map { $0.timestamp - $1.timestamp }
        #expect(gaps.count >= 2 && gaps[1] > gaps[0], "the retries did not back off: \(gaps)")
        // The step after n failures is 2^(n-1) s (jitter only shortens it).
        let step = Double(1 << (failures.count - 1))
        let success = try #require(requests.first { $0.status == 200 })
        #expect(success.timestamp - returned <= step + 0.5, "recovered \(success.timestamp - returned) s after return")
        // The clients' 502s while waiting started no token request of their own.
        #expect(requests.filter { $0.timestamp > returned }.count == 1)
    }

    @Test(arguments: [429, 503])
    func retryAfterIsHonoured(status: Int) async throws {
        let stack = try await ProxyStack { server in
            try server.failNext(status: status, count: 1, retryAfter: "3")
        }
        let server = stack.authorizationServer
        #expect(try await eventually { try server.stats().tokenRequests >= 1 })
        let waiting = try stack.send("/retry-after")
        #expect(waiting.status == 502)
        #expect(try ProxyErrorBody(response: waiting).message.contains("HTTP \(status)"))

        #expect(try await eventually { try server.stats().tokenRequests >= 2 })
        let requests = try server.stats().requests
        #expect(requests.map(\.status) == [status, 200])
        let wait = requests[1].timestamp - requests[0].timestamp
        // Without Retry-After the first retry comes within 1 s.
        #expect(wait >= 2.9 && wait < 6, "retried after \(wait) s")
        #expect(try stack.send("/retry-after").status == 200)
    }
}
