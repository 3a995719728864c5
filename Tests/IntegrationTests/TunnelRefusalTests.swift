// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc
import Testing

/// What `CONNECT` tunnels refuse, and what they never let through (issue 13): unrouted
/// hosts, requests for another host inside a tunnel, clients that distrust the CA,
/// handshakes that never finish, TLS without `intercept`, and the token itself.
@Suite("CONNECT refusals and limits")
struct TunnelRefusalTests {
    private static let host = InterceptingProxy.host

    /// The `host:port` a tunnel is opened to is named by no route (the default route opens none).
    @Test(arguments: ["elsewhere.test:443", "api.test.evil.test:443", "elsewhere.test:80", "127.0.0.1:443"])
    func connectToAHostNoRouteNamesGets403(authority: String) async throws {
        let proxy = try await InterceptingProxy()

        let (_, response) = try proxy.tunnel(to: authority)

        #expect(response.status == 403)
        #expect(try ProxyErrorBody(response: response).error == "no_route")
        #expect(try proxy.upstream.requestCounts().isEmpty)
    }

    @Test func aRequestForAnotherHostInsideAnInterceptedTunnelGets421() async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)

        let result = try await Curl.run([
            "-x", proxy.proxyURL, "--cacert", authority.certificate.path, "-H", "Host: elsewhere.test",
            "https://\(Self.host)/misdirected",
        ])

        #expect(result.status == 421, "\(result.stderr)")
        #expect(
            try JSONDecoder().decode(ProxyErrorBody.self, from: Data(result.body.utf8)).error == "misdirected_request")
        #expect(try proxy.upstream.requestCounts().isEmpty)
    }

    /// In a tunnel to port 80, `Host` without a port means 80: only a differing host or port is misdirected.
    @Test(arguments: [
        ("api.test", 200), ("API.test:80", 200), ("api.test:443", 421), ("elsewhere.test", 421),
    ])
    func hostsInsideAPlainTunnelMustNameItsAuthority(host: String, status: Int) async throws {
        let proxy = try await InterceptingProxy(intercepting: false)
        let (tunnel, opened) = try proxy.tunnel(to: "\(Self.host):80")
        #expect(opened.status == 200)

        let response = try tunnel.exchange(HTTPRequest("GET", "/plain", headers: [HTTPField("Host", host)]))

        #expect(response.status == status)
        if status == 421 {
            #expect(try ProxyErrorBody(response: response).error == "misdirected_request")
            #expect(try proxy.upstream.requestCounts().isEmpty)
        } else {
            #expect(try EchoReport(response: response).header("Authorization") == proxy.bearer)
        }
    }

    @Test func aClientThatDistrustsTheCAGetsNoTokenAndTheLogSaysWhy() async throws {
        let proxy = try await InterceptingProxy()
        let unrelated = try await TestPKI.shared().unrelatedTrustStore()

        let result = try await Curl.run([
            "-x", proxy.proxyURL, "--cacert", unrelated.path.path, "https://\(Self.host)/distrusted",
        ])

        #expect(result.status == 0)
        #expect(!(result.body + result.stderr).contains(proxy.token))
        #expect(try proxy.upstream.requestCounts().isEmpty)
        #expect(try await eventually { try proxy.handshakes(result: "unknown_ca") == 1 })
        // The handshake is counted before the tunnel's line is logged, possibly on another loop.
        #expect(try await eventually { !proxy.closedTunnels().isEmpty })
        let closed = proxy.closedTunnels()
        #expect(closed.count == 1, "logged once per connection: \(closed)")
        #expect(closed.first?["alert"] == "unknown_ca")
        #expect(closed.first?["tunnel"] == "\(Self.host):443")
    }

    @Test func aClientHelloTrickledPastTheHeadTimeoutIsClosed() async throws {
        let proxy = try await InterceptingProxy(topLevel: "limits: {headTimeout: 1}")
        let (tunnel, opened) = try proxy.tunnel(to: "\(Self.host):443", timeout: .seconds(5))
        #expect(opened.status == 200)
        // A handshake record announcing a 200-byte ClientHello, then its first bytes one by one. Sending them
        // all takes at least 8 s, so a 1 s limit must cut it off first (a busy machine only makes pauses
        // longer).
        let hello: [UInt8] =
            [0x16, 0x03, 0x01, 0x00, 0xC8, 0x01, 0x00, 0x00, 0xC4, 0x03, 0x03] + Array(repeating: 0x2A, count: 70)
        let sent = try await tunnel.trickle(hello)

        #expect(sent < hello.count, "the proxy took the whole trickled ClientHello")
        #expect(try proxy.upstream.requestCounts().isEmpty)
        #expect(try proxy.handshakes(result: "timeout") == 1)
        #expect(
            try await eventually { proxy.closedTunnels().first?["reason"]?.contains("headTimeout") == true },
            "\(proxy.closedTunnels())")
    }

    @Test func garbageInsteadOfAClientHelloClosesTheTunnel() async throws {
        let proxy = try await InterceptingProxy()
        let (tunnel, opened) = try proxy.tunnel(to: "\(Self.host):443", timeout: .seconds(10))
        #expect(opened.status == 200)

        try tunnel.send([0x00, 0xFF, 0x13, 0x37] + Array(repeating: 0x00, count: 60))

        let closed: Bool
        do { closed = try tunnel.serverCloses() } catch HarnessError.socket(_, let code) where code == ECONNRESET {
            closed = true
        }
        #expect(closed)
        #expect(try proxy.upstream.requestCounts().isEmpty)
        #expect(try await eventually { proxy.closedTunnels().count == 1 }, "one log line says why")
    }

    @Test func withoutInterceptAConnectTo443Gets405ThatSaysHowToEnableIt() async throws {
        let proxy = try await InterceptingProxy(intercepting: false)

        let (_, response) = try proxy.tunnel(to: "\(Self.host):443")

        #expect(response.status == 405)
        let body = try ProxyErrorBody(response: response)
        #expect(body.error == "connect_not_supported")
        #expect(body.message.contains("intercept") && body.message.contains("token-proxy ca init"), "\(body.message)")
    }

    @Test func withoutInterceptATunnelToAnotherPortThatStartsTLSIsClosedAndTheLogSaysWhy() async throws {
        let proxy = try await InterceptingProxy(intercepting: false)

        let result = try await Curl.run(["-x", proxy.proxyURL, "-k", "https://\(Self.host):8443/tls"])

        #expect(result.status == 0)
        #expect(try proxy.upstream.requestCounts().isEmpty)
        #expect(try await eventually { !proxy.closedTunnels().isEmpty })
        let closed = try #require(proxy.closedTunnels().first)
        #expect(closed["tunnel"] == "\(Self.host):8443")
        #expect(closed["reason"]?.contains("TLS interception is not configured") == true, "\(closed)")
        #expect(closed["reason"]?.contains("token-proxy ca init") == true, "\(closed)")
    }

    /// Everything a client or the log can see, over every way through a tunnel, holds no token;
    /// the upstream's report shows that the upstream request did.
    @Test func theTokenAppearsNowhereButInTheUpstreamRequest() async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)
        let trusted = ["-x", proxy.proxyURL, "--cacert", authority.certificate.path, "-v"]
        var seen: [String] = []
        // Paths whose answers are not the echo's report of the request (which shows the token on purpose).
        for arguments in [
            trusted + ["https://\(Self.host)/bytes/64"],
            trusted + ["-H", "Host: elsewhere.test", "https://\(Self.host)/misdirected"],
            trusted + ["https://elsewhere.test/unrouted"],
            ["-x", proxy.proxyURL, "-p", "-v", "http://\(Self.host)/bytes/32"],
            ["-x", proxy.proxyURL, "-v", "https://\(Self.host)/distrusted"],
        ] {
            let result = try await Curl.run(arguments)
            seen.append(result.body + result.stderr)
        }
        let echoed = try await Curl.run(trusted + ["https://\(Self.host)/echoed"])

        #expect(try EchoReport(json: Data(echoed.body.utf8)).header("Authorization") == proxy.bearer)
        #expect(seen.allSatisfy { !$0.contains(proxy.token) })
        #expect(seen.contains { $0.contains("HTTP/1.1 200 Connection established") }, "\(seen)")
        // Three requests reach the upstream; the other cases log a refusal or a closed tunnel.
        _ = try await proxy.process.requestLog(atLeast: 3)
        #expect(!proxy.output.contains(proxy.token))
    }
}
