// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `token-proxy token` and `check` as scripts use them: output, exit status, messages.
@Suite("Commands")
struct CommandTests {
    private func configuration(tokenURL: String, clientID: String = "token-proxy-test") -> String {
        """
        routes:
          - name: api
            upstream: https://api.example.test
            proxy: {type: none}
            auth:
              type: oauth2ClientCredentials
              accessTokenURL: \(tokenURL)
              clientID: \(clientID)
              clientSecret: ${env:TEST_CLIENT_SECRET}
        """
    }

    @Test func tokenPrintsTheTokenAlone() async throws {
        let server = try await AuthorizationServer()
        let result = try await TokenProxyProcess.run(
            ["token"], configuration: configuration(tokenURL: server.tokenURL),
            environment: ["TEST_CLIENT_SECRET": server.clientSecret])

        #expect(result.exit == .exited(0), "\(result.stderr)")
        let token = result.stdout.trimmingCharacters(in: .newlines)
        #expect(!token.contains("\n") && !token.isEmpty)
        #expect(try server.isActive(token))
    }

    @Test func refusedTokenRequestExits1NamingTheCause() async throws {
        let server = try await AuthorizationServer()
        let result = try await TokenProxyProcess.run(
            ["token"], configuration: configuration(tokenURL: server.tokenURL),
            environment: ["TEST_CLIENT_SECRET": "wrong-secret"])

        #expect(result.exit == .exited(1))
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(server.tokenURL))
        #expect(result.stderr.contains("HTTP 401"))
        #expect(result.stderr.contains("invalid_client"))
        #expect(!result.stderr.contains("wrong-secret"))
    }

    @Test func checkPrintsOneLinePerRouteWithoutContactingAnyone() async throws {
        // The token URL points at a closed port: check must not care.
        let port = try FreePort.allocate()
        let result = try await TokenProxyProcess.run(
            ["check"], configuration: configuration(tokenURL: "http://127.0.0.1:\(port)/token"),
            environment: ["TEST_CLIENT_SECRET": "x"])

        #expect(result.exit == .exited(0), "\(result.stderr)")
        #expect(result.stdout.hasPrefix("route api:"))
    }

    @Test func checkOfABadConfigurationExits1NamingTheKey() async throws {
        let result = try await TokenProxyProcess.run(
            ["check"],
            configuration: configuration(tokenURL: "http://127.0.0.1:1/token").replacingOccurrences(
                of: "clientID:", with: "clientId:"),
            environment: ["TEST_CLIENT_SECRET": "x"])

        #expect(result.exit == .exited(1))
        #expect(result.stderr.contains("routes[0].auth.clientId"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func missingEnvironmentVariableIsNamed() async throws {
        let result = try await TokenProxyProcess.run(
            ["check"], configuration: configuration(tokenURL: "http://127.0.0.1:1/token"))

        #expect(result.exit == .exited(1))
        #expect(result.stderr.contains("TEST_CLIENT_SECRET"))
    }

    @Test func demoShowsTheInjectedTokenToHTTPAndHTTPSApps() async throws {
        let port = try FreePort.allocate()
        let scratch = try ScratchDirectory(prefix: "demo")
        let demo = try ManagedProcess(
            name: "token-proxy demo", executable: try TokenProxyProcess.executable(),
            arguments: ["demo", "--port", String(port)], environment: [:], scratch: scratch)
        try await demo.waitForPort(port)
        let response = try HTTPClient(port: port).exchange(HTTPRequest("GET", "http://api.demo.test/hello"))
        // The second command the demo printed, run as printed: curl trusting the demo's CA, through CONNECT.
        // The demo prints once it listens, so its text may come a little after the port answers.
        #expect(try await eventually { demo.output().contains("Press Ctrl-C to stop.") })
        let printed = demo.output().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let https = try #require(printed.first { $0.hasPrefix("curl -s --cacert ") }).split(separator: " ")
        let authority = String(https[3])
        let intercepted = try await Curl.run(https.dropFirst(2).map(String.init))

        #expect(response.status == 200)
        #expect(response.text.contains("\"Authorization\":\"Bearer demo-"))
        #expect(printed.contains("curl -s -x http://127.0.0.1:\(port) http://api.demo.test/hello"))
        #expect(https.suffix(3) == ["-x", "http://127.0.0.1:\(port)", "https://api.demo.test/hello"])
        #expect(intercepted.status == 200, "\(intercepted.stderr)")
        #expect(intercepted.body.contains("\"Authorization\":\"Bearer demo-"))
        #expect(try HTTPClient(port: port).exchange(HTTPRequest("GET", "http://other.test/")).status == 403)
        #expect(demo.stop() == .exited(0))
        #expect(!FileManager.default.fileExists(atPath: authority), "the demo's CA is removed when it stops")
    }
}
