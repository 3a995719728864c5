// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `tls.trustStore` on the wire: nginx presents a certificate from a CA made in the test,
/// which no system store holds, for both the upstream and the token endpoint.
@Suite("TLS: trust stores")
struct TLSTrustStoreTests {
    @Test(arguments: TestPKI.StoreFormat.allCases)
    func trustStoreLetsTheProxyReachUpstreamAndTokenEndpoint(format: TestPKI.StoreFormat) async throws {
        let pki = try await TestPKI.shared()
        let deployment = try await TLSDeployment(
            trustStore: pki.trustStore(format), tokenSource: .authorizationServerOverHTTPS)

        let response = try await deployment.get("/v1/items?limit=2")

        #expect(response.status == 200, "\(response.text)\n\(deployment.proxyOutput)")
        let report = try EchoReport(response: response)
        #expect(report.path == "/v1/items")
        let issued = try deployment.issuedTokens()
        #expect(issued.count >= 1, "the token came from the HTTPS token endpoint")
        #expect(report.header("Authorization").map { issued.map { "Bearer \($0)" }.contains($0) } == true)
        #expect(report.nginxProtocol == "HTTP/2.0", "ALPN over the verified connection")
        #expect(try deployment.leakedSecrets().isEmpty)
    }

    /// Trust stores that do not hold the CA that issued nginx's certificate.
    enum UntrustingStore: String, CaseIterable, Sendable {
        /// No `tls.trustStore`: the system CAs.
        case systemAuthorities
        /// A store with another CA: verification stays on when a store is set.
        case unrelatedAuthority
    }

    @Test(arguments: UntrustingStore.allCases)
    func upstreamCertificateFromAnUntrustedCAIsRefused(_ store: UntrustingStore) async throws {
        let pki = try await TestPKI.shared()
        let deployment = try await TLSDeployment(
            trustStore: store == .systemAuthorities ? nil : pki.unrelatedTrustStore(), tokenSource: .staticToken)

        let response = try await deployment.get("/v1/items")

        #expect(response.status == 502)
        #expect(response.header("Content-Type") == "application/json")
        let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(body?["error"] as? String == "upstream_unreachable", "\(response.text)")
        let logLine = try await deployment.proxyLogLine { $0.contains("status=502") }
        // curl's words for a failed peer verification (CURLE_PEER_FAILED_VERIFICATION), with OpenSSL's reason.
        #expect(
            logLine.contains("SSL certificate problem: unable to get local issuer certificate"),
            "the log says why: \(logLine)")
        #expect(try deployment.upstream.requestCounts().isEmpty, "nothing reached the echo service")
        #expect(try deployment.leakedSecrets().isEmpty)
    }

    /// A store whose first certificate is another CA's: the issuing CA is found wherever it sits in the store.
    @Test func theIssuingCAIsFoundBehindOtherCertificates() async throws {
        let pki = try await TestPKI.shared()
        let scratch = try ScratchDirectory(prefix: "trust-bundle")
        let bundle = try pki.bundle(of: [pki.unrelatedTrustStore(), pki.trustStore(.pem)], in: scratch)
        let deployment = try await TLSDeployment(trustStore: bundle, tokenSource: .staticToken)

        let response = try await deployment.get("/v1/items")

        #expect(response.status == 200, "\(response.text)\n\(deployment.proxyOutput)")
    }

    /// A store holding only the upstream's own certificate, not its CA: any certificate in a store anchors
    /// a chain, as in Java trust stores and curl's own default.
    @Test func theUpstreamsOwnCertificateIsEnoughOfAnAnchor() async throws {
        let pki = try await TestPKI.shared()
        let leafOnly = TestPKI.Store(path: pki.serverCertificates().certificate, password: nil)
        let deployment = try await TLSDeployment(trustStore: leafOnly, tokenSource: .staticToken)

        let response = try await deployment.get("/v1/items")

        #expect(response.status == 200, "\(response.text)\n\(deployment.proxyOutput)")
    }

    /// Two routes to one upstream whose stores start with the same certificate, one trusting the upstream's CA
    /// and one not, asked in turn on one client connection (one event loop, one connection cache): the
    /// connection the first route opened and verified is never lent to the second.
    @Test func routesWithDifferentTrustStoresDoNotShareUpstreamConnections() async throws {
        let pki = try await TestPKI.shared()
        let scratch = try ScratchDirectory(prefix: "trust-split")
        let trusting = try pki.bundle(of: [pki.unrelatedTrustStore(), pki.trustStore(.pem)], in: scratch)
        let distrusting = pki.unrelatedTrustStore()
        let upstream = try await EchoUpstream(tls: pki.serverCertificates())
        let upstreamURL = try #require(upstream.tlsBaseURL)
        let port = try FreePort.allocate()
        let route = { (name: String, store: TestPKI.Store) in
            [
                "  - name: \(name)", "    hosts: [\(name).test]", "    upstream: \"\(upstreamURL)\"",
                "    httpVersion: \"1.1\"", "    proxy:", "      type: none",
                "    auth:", "      type: static", "      accessToken: t",
                "    tls:", "      trustStore: \"\(store.path.path)\"",
            ]
        }
        let configuration =
            (["listen: \"127.0.0.1:\(port)\"", "routes:"] + route("trusting", trusting)
            + route("distrusting", distrusting)).joined(separator: "\n") + "\n"
        let proxy = try await TokenProxyProcess(configuration: configuration, port: port)

        let statuses = try await DedicatedThread.run {
            let client = try HTTPClient(port: port, timeout: .seconds(30))
            return try ["trusting", "distrusting", "trusting"].map { host in
                try client.exchange(HTTPRequest("GET", "/v1/items", headers: [HTTPField("Host", "\(host).test")]))
                    .status
            }
        }

        #expect(statuses == [200, 502, 200], "\(proxy.process.output())")
        #expect(try upstream.requestCounts().values.reduce(0, +) == 2, "only the trusting route's requests arrived")
    }

    @Test func withoutTrustStoreTheTokenEndpointCertificateIsRefused() async throws {
        let pki = try await TestPKI.shared()
        let server = try await HTTPSAuthorizationServer(pki: pki)

        let result = try await TokenProxyProcess.run(
            ["token"],
            configuration: TLSRouteConfiguration(
                listenPort: try FreePort.allocate(), upstream: "https://127.0.0.1:9",
                authentication: server.authentication
            ).rendered())

        #expect(result.exit == .exited(1))
        #expect(result.stdout.isEmpty, "no token")
        #expect(result.stderr.contains(server.tokenURL), "\(result.stderr)")
        #expect(result.stderr.contains("SSL certificate problem"), "\(result.stderr)")
        #expect(try server.server.stats().tokenRequests == 0)
        #expect(try pki.leakedSecrets(in: result.stderr, others: ["client secret": server.server.clientSecret]).isEmpty)
    }
}
