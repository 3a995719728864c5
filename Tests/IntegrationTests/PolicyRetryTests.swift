// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `retryAttempts` and `retryDelay` against an upstream that fails for a
/// while (the echo service's `/flaky/<key>/<failures>/<status>`), counted at
/// the upstream and in the request log's `tries=`.
@Suite("Upstream retries")
struct PolicyRetryTests {
    @Test func twoFailuresWithTwoRetriesEndIn200AfterThreeTries() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(withoutAuthTo: upstream, keys: "retryAttempts: 2")

        let response = try await proxy.send("/flaky/a/2/500")

        #expect(response.status == 200)
        #expect(try upstream.requestCounts()["/flaky/a/2/500"] == 3)
        #expect(try await proxy.requestLog().map(\.tries) == [3])
    }

    @Test func withoutRetriesTheClientGetsTheFirstFailure() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(withoutAuthTo: upstream, keys: "retryAttempts: 0")

        let response = try await proxy.send("/flaky/a/2/500")

        #expect(response.status == 500)
        #expect(try EchoReport(response: response).path == "/flaky/a/2/500", "the upstream's own response")
        #expect(try upstream.requestCounts()["/flaky/a/2/500"] == 1)
        let log = try await proxy.requestLog()
        #expect(log.map(\.tries) == [1] && log.map(\.status) == [500])
    }

    @Test func whenRetriesRunOutTheClientGetsTheLastResponse() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(withoutAuthTo: upstream, keys: "retryAttempts: 2")

        let response = try await proxy.send("/flaky/a/5/503")

        #expect(response.status == 503)
        #expect(try upstream.requestCounts()["/flaky/a/5/503"] == 3)
        #expect(try await proxy.requestLog().map(\.tries) == [3])
    }

    @Test func retryDelaySpacesTheTries() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(withoutAuthTo: upstream, keys: "retryAttempts: 2\nretryDelay: 1")

        let response = try await proxy.send("/flaky/a/2/500")

        #expect(response.status == 200)
        let arrivals = try upstream.arrivals(of: "/flaky/a/2/500")
        #expect(arrivals.count == 3)
        for (earlier, later) in zip(arrivals, arrivals.dropFirst()) {
            #expect(later.timeIntervalSince(earlier) >= 0.95)
        }
    }

    @Test func retryAfterLongerThanRetryDelayIsHonoured() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(withoutAuthTo: upstream, keys: "retryAttempts: 1\nretryDelay: 0")

        let response = try await proxy.send("/flaky/a/1/503?retry_after=2")

        #expect(response.status == 200)
        let arrivals = try upstream.arrivals(of: "/flaky/a/1/503")
        try #require(arrivals.count == 2)
        #expect(arrivals[1].timeIntervalSince(arrivals[0]) >= 1.95, "Retry-After: 2 outweighs retryDelay: 0")
    }

    @Test func status408IsRetriedWithoutCounting() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(withoutAuthTo: upstream, keys: "retryAttempts: 1")

        let response = try await proxy.send("/flaky/a/3/408")

        #expect(response.status == 200)
        #expect(try upstream.requestCounts()["/flaky/a/3/408"] == 4)
        #expect(try await proxy.requestLog().map(\.tries) == [4])
    }

    @Test func transportFailuresAreRetriedToo() async throws {
        let deadPort = try FreePort.allocate()
        let proxy = try await SingleRouteProxy(
            upstream: "http://127.0.0.1:\(deadPort)", keys: "auth: {type: none}\nproxy: {type: none}\nretryAttempts: 2")

        let response = try await proxy.send("/x")

        #expect(response.status == 502)
        #expect(try ProxyErrorBody(response: response).error == "upstream_unreachable")
        #expect(try await proxy.requestLog().map(\.tries) == [3])
    }
}
