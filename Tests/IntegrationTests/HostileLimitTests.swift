// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The client-side `limits`: heads and bodies over their bounds are refused before anything goes upstream,
/// slow or idle clients lose their connection, and connections over the maximum are turned away while the
/// ones in flight go on.
@Suite("Hostile input: limits")
struct HostileLimitTests {
    private static let routed = "GET http://api.test/limits HTTP/1.1\r\nHost: api.test\r\n"

    @Test func headsOverTheConfiguredLimitsGet431() async throws {
        let stack = try await ProxyStack(limits: [
            "maxHeadBytes": 4096, "maxHeaderCount": 10, "maxRequestLineBytes": 256,
        ])
        let cases = [
            ("head over maxHeadBytes", Self.routed + "X-Pad: \(String(repeating: "a", count: 5000))\r\n\r\n"),
            (
                "header count over maxHeaderCount",
                Self.routed + (1...11).map { "X-\($0): v\r\n" }.joined() + "\r\n"
            ),
            (
                "request line over maxRequestLineBytes",
                "GET http://api.test/\(String(repeating: "a", count: 300)) HTTP/1.1\r\nHost: api.test\r\n\r\n"
            ),
        ]
        for (name, request) in cases {
            let client = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))
            #expect(
                try client.refusal(after: request) == Refusal(status: 431, error: "headers_too_large", closed: true),
                "\(name)")
        }

        #expect(try stack.upstream.requestCounts().isEmpty)
    }

    @Test func aHeadOverTheDefault64KiBGets431() async throws {
        let stack = try await ProxyStack()
        let client = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))
        let request = Self.routed + "X-Pad: \(String(repeating: "a", count: 70_000))\r\n\r\n"

        #expect(try client.refusal(after: request) == Refusal(status: 431, error: "headers_too_large", closed: true))
        #expect(try stack.upstream.requestCounts().isEmpty)
    }

    @Test func bodiesOverMaxBodyBytesGet413() async throws {
        let stack = try await ProxyStack(limits: ["maxBodyBytes": 1024])
        let body = Array(repeating: UInt8(ascii: "b"), count: 2048)
        let requests = [
            HTTPRequest("POST", "http://api.test/limits", body: .bytes(body)),
            HTTPRequest(
                "POST", "http://api.test/limits", body: .chunked([Array(body[..<1000]), Array(body[1000...])])),
        ]
        for request in requests {
            let client = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))
            let bytes = request.head(defaultHost: "api.test") + request.encodedBody
            #expect(try client.refusal(after: bytes) == Refusal(status: 413, error: "body_too_large", closed: true))
        }
        let atTheLimit = try stack.send("/at-limit", method: "POST", body: .bytes(Array(body[..<1024])))

        #expect(atTheLimit.status == 200)
        #expect(try stack.upstream.requestCounts() == ["/at-limit": 1])
    }

    @Test func aHeadTrickledByteByByteIsCutOffAfterHeadTimeout() async throws {
        let stack = try await ProxyStack(limits: ["headTimeout": 1])
        let client = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))
        // Each byte arrives well within any per-read timeout; only a deadline for the whole head stops this.
        // Sending it all takes at least 6 s, so a 1 s head timeout must cut it off first (a busy machine only
        // makes the pauses longer).
        let head = Array((Self.routed + "X-Slow: yes\r\n").utf8)
        let sent = try await client.trickle(head)

        #expect(sent < head.count, "the proxy took the whole trickled head")
        #expect(try stack.upstream.requestCounts().isEmpty)
    }

    @Test func anIncompleteHeadGets408AfterHeadTimeout() async throws {
        let stack = try await ProxyStack(limits: ["headTimeout": 1])
        let client = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))

        #expect(try client.refusal(after: Self.routed) == Refusal(status: 408, error: "request_timeout", closed: true))
        #expect(try stack.upstream.requestCounts().isEmpty)
    }

    @Test func anIdleKeepAliveConnectionIsClosedSilently() async throws {
        let stack = try await ProxyStack(limits: ["idleTimeout": 1])
        let client = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))

        #expect(try client.exchange(raw: Self.routed + "\r\n").status == 200)
        #expect(try client.serverCloses())
    }

    @Test func timeoutsDoNotCutARequestWaitingForASlowUpstream() async throws {
        let stack = try await ProxyStack(limits: ["headTimeout": 1, "idleTimeout": 1])
        let response = try stack.send("/slow/2500")

        #expect(response.status == 200)
    }

    @Test func connectionsOverMaxConnectionsGet503WhileTheOthersGoOn() async throws {
        let stack = try await ProxyStack(limits: ["maxConnections": 2])
        let request = Self.routed + "\r\n"
        // The harness's readiness probe was a connection too; the proxy counts it until it has seen it close.
        var first = try await stack.servedConnection(request: request)
        #expect(first != nil)
        let second = try #require(await stack.servedConnection(request: request))

        let third = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))
        // The proxy may answer at accept, before the request, and close: then this send can fail.
        try? third.send(request)
        #expect(try third.refusal() == Refusal(status: 503, error: "too_many_connections", closed: true))

        #expect(try first?.exchange(raw: request).status == 200)
        #expect(try second.exchange(raw: request).status == 200)

        // A closed connection frees its place; the proxy learns of the close a moment later.
        first = nil
        #expect(try await stack.servedConnection(request: request) != nil)
    }
}

extension ProxyStack {
    /// A connection whose first request was served, trying again (for up to 5 s) while the proxy still
    /// counts connections that have closed; nil when none was served.
    fileprivate func servedConnection(request: String) async throws -> HTTPClient? {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let client = try HTTPClient(port: proxy.port, timeout: .seconds(5))
            try? client.send(request)
            if (try? client.readResponse().status) == 200 { return client }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
