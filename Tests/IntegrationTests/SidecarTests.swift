// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc
import Testing

/// What operators of the sidecar rely on: probes, metrics, drain on SIGTERM, reload.
@Suite("Running as a sidecar")
struct SidecarTests {
    /// token-proxy with an admin listener and a static-token route whose token comes from a file.
    private struct StaticTokenProxy {
        let upstream: EchoUpstream
        let proxy: TokenProxyProcess
        let adminPort: Int
        let tokenFile: URL
        private let scratch: ScratchDirectory

        init(token: String) async throws {
            upstream = try await EchoUpstream()
            scratch = try ScratchDirectory(prefix: "static-token")
            tokenFile = scratch.file("token")
            try "\(token)\n".write(to: tokenFile, atomically: true, encoding: .utf8)
            adminPort = try FreePort.allocate()
            let port = try FreePort.allocate()
            proxy = try await TokenProxyProcess(
                configuration: Self.configuration(
                    port: port, adminPort: adminPort, upstream: upstream.baseURL, token: "${file:\(tokenFile.path)}"),
                port: port, adminPort: adminPort)
        }

        static func configuration(port: Int, adminPort: Int, upstream: String, token: String) -> String {
            """
            listen: 127.0.0.1:\(port)
            admin: 127.0.0.1:\(adminPort)
            routes:
              - name: static
                upstream: \(upstream)
                proxy: {type: none}
                auth:
                  type: static
                  accessToken: \(token)
            """
        }

        func bearer(on client: HTTPClient) throws -> String? {
            let response = try client.exchange(HTTPRequest("GET", "http://any.test/who"))
            return try EchoReport(response: response).header("Authorization")
        }
    }

    private func admin(_ port: Int, _ path: String) throws -> HTTPResponse {
        try HTTPClient(port: port).exchange(HTTPRequest("GET", path))
    }

    @Test func readinessFlipsTo200AsTheTokenEndpointRecovers() async throws {
        let adminPort = try FreePort.allocate()
        let stack = try await ProxyStack(adminPort: adminPort) { server in
            try server.failNext(status: 503, count: -1)
        }
        #expect(try await eventually { try admin(adminPort, "/readyz").status == 503 })
        let notReady = try admin(adminPort, "/readyz")
        #expect(notReady.text.contains("\"route\":\"api\""))
        #expect(try admin(adminPort, "/healthz").status == 200)

        try stack.authorizationServer.reset()
        #expect(try await eventually { try admin(adminPort, "/readyz").status == 200 })
    }

    @Test func metricsAreInPrometheusFormatAndCountRequests() async throws {
        let adminPort = try FreePort.allocate()
        let stack = try await ProxyStack(adminPort: adminPort)
        for index in 0..<3 { #expect(try stack.send("/counted/\(index)").status == 200) }
        #expect(try stack.client().exchange(HTTPRequest("GET", "http://elsewhere.test/")).status == 403)

        // A request is counted when its exchange ends, just after its last bytes went to the client,
        // possibly on another loop's thread: a scrape may come first, so wait for the third to show.
        let counted = #"token_proxy_requests_total{code="200",route="api"}"#
        let timed = #"token_proxy_request_duration_seconds_count{route="api"}"#
        #expect(
            try await eventually {
                let samples = try PrometheusText.samples(in: admin(adminPort, "/metrics").text)
                return samples[counted] == 3 && samples[timed] == 3
            })
        let text = try admin(adminPort, "/metrics").text
        let samples = try PrometheusText.samples(in: text)
        #expect(samples[counted] == 3)
        #expect(samples[#"token_proxy_requests_total{code="403",route="-"}"#] == 1)
        #expect(samples[#"token_proxy_token_fetches_total{result="success",route="api"}"#] == 1)
        #expect(samples[timed] == 3)
        #expect((samples[#"token_proxy_token_expiry_seconds{route="api"}"#] ?? 0) > Date().timeIntervalSince1970)
    }

    @Test func sigtermLetsTheRequestInFlightFinishLogsItAndExits0() async throws {
        let stack = try await ProxyStack()
        let port = stack.proxy.port
        let slow = Task {
            try await DedicatedThread.run {
                try HTTPClient(port: port).exchange(HTTPRequest("GET", "http://\(ProxyStack.host)/slow/1500")).status
            }
        }
        #expect(try await eventually { try stack.upstream.requestCounts()["/slow/1500"] == 1 })
        stack.proxy.process.send(signal: SIGTERM)

        #expect(try await slow.value == 200)
        let process = stack.proxy.process
        let exit = try await DedicatedThread.run { process.waitForExit(timeout: .seconds(10)) }
        #expect(exit == .exited(0))
        // The request's line is written at the end of its loop's turn, which the drain does not wait for.
        let lines = process.output().split(separator: "\n")
        let requestLine = try #require(lines.firstIndex { $0.contains("path=/slow/1500") }, "request line lost")
        let stoppedLine = try #require(lines.firstIndex { $0.contains("msg=stopped") })
        #expect(requestLine < stoppedLine)
    }

    @Test func sighupSwitchesToANewStaticTokenWithoutDroppingKeepAlive() async throws {
        let proxy = try await StaticTokenProxy(token: "static-one")
        let client = try HTTPClient(port: proxy.proxy.port)
        #expect(try proxy.bearer(on: client) == "Bearer static-one")

        try StaticTokenProxy.configuration(
            port: proxy.proxy.port, adminPort: proxy.adminPort, upstream: proxy.upstream.baseURL, token: "static-two"
        ).write(to: proxy.proxy.configurationFile, atomically: true, encoding: .utf8)
        proxy.proxy.process.send(signal: SIGHUP)

        #expect(try await eventually { try proxy.bearer(on: client) == "Bearer static-two" })
        // The reload's log line follows the switch to the new configuration.
        #expect(try await eventually { proxy.proxy.process.output().contains("reason=SIGHUP") })
    }

    @Test func sighupWithABrokenFileKeepsTheOldConfiguration() async throws {
        let proxy = try await StaticTokenProxy(token: "static-kept")
        try "routes: [ {name: broken".write(to: proxy.proxy.configurationFile, atomically: true, encoding: .utf8)
        proxy.proxy.process.send(signal: SIGHUP)

        #expect(try await eventually { proxy.proxy.process.output().contains("configuration not reloaded") })
        #expect(try proxy.bearer(on: HTTPClient(port: proxy.proxy.port)) == "Bearer static-kept")
        #expect(proxy.proxy.process.isRunning)
    }

    @Test func aRewrittenSecretFileIsPickedUpWithoutASignal() async throws {
        let proxy = try await StaticTokenProxy(token: "rotated-one")
        let client = try HTTPClient(port: proxy.proxy.port)
        #expect(try proxy.bearer(on: client) == "Bearer rotated-one")

        try "rotated-two\n".write(to: proxy.tokenFile, atomically: true, encoding: .utf8)

        #expect(try await eventually { try proxy.bearer(on: client) == "Bearer rotated-two" })
        // The reload's log line follows the switch to the new configuration.
        #expect(try await eventually { proxy.proxy.process.output().contains("configuration reloaded") })
        let output = proxy.proxy.process.output()
        #expect(!output.contains("rotated-one") && !output.contains("rotated-two"))
    }

    @Test func aReloadWithChangedClientCredentialsFetchesANewToken() async throws {
        let stack = try await ProxyStack()
        let before = try EchoReport(response: stack.send("/before")).header("Authorization")
        let file = stack.proxy.configurationFile
        let configuration = try String(contentsOf: file, encoding: .utf8)
        try configuration.replacingOccurrences(of: "clientAuthentication: body", with: "clientAuthentication: header")
            .write(to: file, atomically: true, encoding: .utf8)
        stack.proxy.process.send(signal: SIGHUP)

        #expect(try await eventually { try stack.authorizationServer.stats().tokenRequests == 2 })
        let after = try EchoReport(response: stack.send("/after")).header("Authorization")
        #expect(after != nil && after != before)
        #expect(try stack.authorizationServer.stats().requests.last?.authMethod == "client_secret_basic")
    }

    @Test func aReloadWithUnchangedCredentialsKeepsTheToken() async throws {
        let stack = try await ProxyStack()
        let before = try EchoReport(response: stack.send("/before")).header("Authorization")
        stack.proxy.process.send(signal: SIGHUP)

        #expect(try await eventually { stack.proxyOutput.contains("reason=SIGHUP") })
        #expect(try EchoReport(response: stack.send("/after")).header("Authorization") == before)
        #expect(try stack.authorizationServer.stats().tokenRequests == 1)
    }
}
