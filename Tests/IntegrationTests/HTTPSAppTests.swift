// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// HTTPS apps of each stack, unchanged but for trusting the intercept CA, reach a
/// routed host through `CONNECT` and get the token injected (issue 13).
@Suite("HTTPS apps through CONNECT")
struct HTTPSAppTests {
    private static let host = InterceptingProxy.host

    /// The `Authorization` the echo upstream received, from a response body that is its report.
    private func bearer(in body: [UInt8]) throws -> String? {
        try EchoReport(json: Data(body)).header("Authorization")
    }

    /// The request log's `mode` for `path`, once token-proxy has logged it.
    private func mode(of path: String, in proxy: InterceptingProxy) async throws -> String? {
        var entry: RequestLogEntry?
        _ = try await eventually(timeout: .seconds(30)) {
            entry = try await proxy.process.requestLog().first { $0.path == path }
            return entry != nil
        }
        return entry?.fields["mode"]
    }

    @Test func curlWithCacertGetsTheTokenInjected() async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)

        let result = try await Curl.run([
            "-x", proxy.proxyURL, "--cacert", authority.certificate.path, "https://\(Self.host)/curl/cacert",
        ])

        #expect(result.status == 200, "\(result.stderr)")
        #expect(try bearer(in: Array(result.body.utf8)) == proxy.bearer)
        #expect(try await mode(of: "/curl/cacert", in: proxy) == "intercept")
    }

    @Test func curlThroughTheHttpsProxyVariableGetsTheTokenInjected() async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)

        let result = try await Curl.run(
            ["--cacert", authority.certificate.path, "https://\(Self.host)/curl/environment"],
            environment: ["https_proxy": proxy.proxyURL, "no_proxy": "", "NO_PROXY": ""])

        #expect(result.status == 200, "\(result.stderr)")
        #expect(try bearer(in: Array(result.body.utf8)) == proxy.bearer)
    }

    @Test(arguments: HTTPSApp.allCases)
    func appsOfEachStackGetTheTokenOverOneKeptAliveTunnel(app: HTTPSApp) async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)

        let run = try await app.run(
            url: "https://\(Self.host)/app/\(app.rawValue)", count: 3, proxyPort: proxy.process.port,
            trusting: authority)

        #expect(run.exit == .exited(0), "\(run.stderr)")
        #expect(run.responses.map(\.status) == [200, 200, 200])
        for response in run.responses { #expect(try bearer(in: response.body) == proxy.bearer) }
        #expect(try proxy.handshakes() == 1, "three requests, one tunnel")
        #expect(try await mode(of: "/app/\(app.rawValue)", in: proxy) == "intercept")
    }

    /// undici opens a tunnel for `http://` URLs too; it needs no CA, with or without `intercept`.
    @Test(arguments: [false, true])
    func nodeSendsHttpURLsThroughAPlainTunnel(intercepting: Bool) async throws {
        let proxy = try await InterceptingProxy(intercepting: intercepting)

        let run = try await HTTPSApp.nodeUndici.run(
            url: "http://\(Self.host)/node/plain", count: 2, proxyPort: proxy.process.port, trusting: nil)

        #expect(run.exit == .exited(0), "\(run.stderr)")
        #expect(run.responses.map(\.status) == [200, 200])
        for response in run.responses { #expect(try bearer(in: response.body) == proxy.bearer) }
        #expect(try proxy.handshakes() == 0)
        #expect(try await mode(of: "/node/plain", in: proxy) == "tunnel")
    }

    @Test func manyRequestsShareOneTunnelOverKeepAlive() async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)

        let run = try await HTTPSApp.pythonRequests.run(
            url: "https://\(Self.host)/keep-alive", count: 100, proxyPort: proxy.process.port, trusting: authority)

        #expect(run.exit == .exited(0), "\(run.stderr)")
        #expect(run.responses.count == 100 && run.responses.allSatisfy { $0.status == 200 })
        #expect(try run.responses.allSatisfy { try bearer(in: $0.body) == proxy.bearer })
        #expect(try proxy.upstream.requestCounts()["/keep-alive"] == 100)
        #expect(try proxy.handshakes() == 1)
    }

    @Test func twoHundredTunnelsAtOnce() async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)

        // Each request waits upstream, so the tunnels are open together.
        let run = try await HTTPSApp.nodeUndici.run(
            url: "https://\(Self.host)/slow/500", count: 200, parallel: true, proxyPort: proxy.process.port,
            trusting: authority)

        #expect(run.exit == .exited(0), "\(run.stderr)")
        let failed = run.responses.filter { $0.status != 200 }
        #expect(
            run.responses.count == 200 && failed.isEmpty,
            "\(failed.prefix(3).map { "\($0.status) \(String(decoding: $0.body, as: UTF8.self))" })")
        #expect(try run.responses.filter { $0.status == 200 }.allSatisfy { try bearer(in: $0.body) == proxy.bearer })
        #expect(try proxy.handshakes(result: "completed") == 200)
    }

    @Test(arguments: [
        (Self.host, "tls1_2", "DNS:\(Self.host)"), (Self.host, "tls1_3", "DNS:\(Self.host)"),
        (InterceptingProxy.address, "tls1_3", "IP Address:\(InterceptingProxy.address)"),
    ])
    func opensslSeesALeafForExactlyTheHostSignedByTheCAForADayAtMost(
        host: String, tlsVersion: String, subjectAlternativeName: String
    ) async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)
        let before = Date()

        let leaf = try await InterceptedLeaf.fetch(
            proxyPort: proxy.process.port, host: host, tlsVersion: tlsVersion, trusting: authority.certificate)

        #expect(leaf.subjectAlternativeNames == [subjectAlternativeName])
        #expect(leaf.issuer == (try await InterceptedLeaf.subject(of: authority.certificate)))
        #expect(leaf.alpn == "http/1.1")
        #expect(leaf.protocolVersion == (tlsVersion == "tls1_2" ? "TLSv1.2" : "TLSv1.3"))
        // Whole seconds on the certificate: allow the second the handshake began in.
        #expect(leaf.notBefore <= Date() && leaf.notAfter > before)
        #expect(leaf.notAfter.timeIntervalSince(leaf.notBefore) <= 24 * 3600 + 5 * 60)
    }

    @Test func aReloadThatChangesTheCAServesNewTunnelsWithTheNewCA() async throws {
        let proxy = try await InterceptingProxy()
        let old = try #require(proxy.authority)
        let url = "https://\(Self.host)/reload"
        #expect(try await Curl.run(["-x", proxy.proxyURL, "--cacert", old.certificate.path, url]).status == 200)

        let new = try await InterceptAuthority()
        try await proxy.reload(interceptingWith: new)

        let trustingNew = try await Curl.run(["-x", proxy.proxyURL, "--cacert", new.certificate.path, url])
        #expect(trustingNew.status == 200, "\(trustingNew.stderr)")
        #expect(try bearer(in: Array(trustingNew.body.utf8)) == proxy.bearer)
        let trustingOld = try await Curl.run(["-x", proxy.proxyURL, "--cacert", old.certificate.path, url])
        #expect(trustingOld.status == 0)
        #expect(trustingOld.stderr.contains("certificate"), "\(trustingOld.stderr)")
    }

    @Test func requestLogsSayWhichModeServedTheRequest() async throws {
        let proxy = try await InterceptingProxy()
        let authority = try #require(proxy.authority)

        let plain = try HTTPClient(port: proxy.process.port).exchange(
            HTTPRequest("GET", "http://\(Self.host)/mode/plain"))
        let (tunnel, opened) = try proxy.tunnel(to: "\(Self.host):80")
        let tunnelled = try tunnel.exchange(HTTPRequest("GET", "/mode/tunnel", headers: [HTTPField("Host", Self.host)]))
        let intercepted = try await Curl.run([
            "-x", proxy.proxyURL, "--cacert", authority.certificate.path, "https://\(Self.host)/mode/intercept",
        ])

        #expect([plain.status, opened.status, tunnelled.status, intercepted.status] == [Int](repeating: 200, count: 4))
        #expect(try await mode(of: "/mode/plain", in: proxy) == "plain")
        #expect(try await mode(of: "/mode/tunnel", in: proxy) == "tunnel")
        #expect(try await mode(of: "/mode/intercept", in: proxy) == "intercept")
        let samples = try proxy.metrics()
        for mode in ["plain", "tunnel", "intercept"] {
            #expect(samples["token_proxy_requests_by_mode_total{mode=\"\(mode)\"}"] == 1, "\(mode)")
        }
    }
}
