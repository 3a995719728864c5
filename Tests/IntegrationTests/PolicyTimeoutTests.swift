// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `connectionTimeout` and `endpoints` against the echo service's `/slow/<ms>`.
///
/// Durations are asserted from below on the test's clock, and from above,
/// loosely enough to tell "gave up at the timeout" from "waited for the
/// upstream", on token-proxy's own (the request log's `duration_ms`): tests
/// running beside this one on two cores can delay when the test sees the answer.
@Suite("Upstream timeouts")
struct PolicyTimeoutTests {
    @Test func slowUpstreamGets504AtTheConnectionTimeout() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(withoutAuthTo: upstream, keys: "connectionTimeout: 2")

        let started = ContinuousClock.now
        let response = try await proxy.send("/slow/6000")
        let elapsed = ContinuousClock.now - started

        #expect(response.status == 504)
        let error = try ProxyErrorBody(response: response)
        #expect(error.error == "upstream_timeout")
        #expect(error.message.contains("within 2 s"), "\(error.message)")
        #expect(elapsed >= .seconds(1.9), "\(elapsed)")
        let logged = try #require(try await proxy.requestLog().first)
        #expect(logged.tries == 1)
        #expect(try #require(logged.duration) < .seconds(4))
        // nginx logs 499 when its client, token-proxy, closes the connection before the answer.
        #expect(try await upstream.accessLog(atLeast: 1).map(\.status) == [499])
    }

    @Test func endpointTimeoutShorterThanConnectionTimeoutWins() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(
            withoutAuthTo: upstream,
            keys: """
                connectionTimeout: 10
                endpoints:
                  - {path: /slow/3000, timeout: 1}
                """)

        let app = proxy.app
        let started = ContinuousClock.now
        async let outsideEndpoint = app.send("/slow/1500")
        let response = try await proxy.send("/slow/3000")
        let elapsed = ContinuousClock.now - started

        #expect(response.status == 504)
        #expect(try ProxyErrorBody(response: response).message.contains("within 1 s"))
        #expect(elapsed >= .seconds(0.9), "\(elapsed)")
        #expect(try await outsideEndpoint.status == 200, "connectionTimeout applies outside the endpoint's prefix")
        let timedOut = try #require(try await proxy.requestLog(atLeast: 2).first { $0.status == 504 })
        #expect(try #require(timedOut.duration) < .seconds(2.5))
    }

    @Test func status408IsRetriedOnlyWhileTimeRemains() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(
            withoutAuthTo: upstream, keys: "connectionTimeout: 2\nretryDelay: 0.5\nretryAttempts: 0")

        let response = try await proxy.send("/flaky/a/1000/408")

        #expect(response.status == 504)
        #expect(try ProxyErrorBody(response: response).error == "upstream_timeout")
        let logged = try #require(try await proxy.requestLog().first)
        #expect(try #require(logged.duration) < .seconds(4))
        let tries = try upstream.requestCounts()["/flaky/a/1000/408"] ?? 0
        #expect((2...5).contains(tries), "about one try per retryDelay within the timeout, not \(tries)")
    }
}
