// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The peers the integration tests rely on behave as the tests assume, checked with curl as an independent client.
@Suite("Harness: authorization server")
struct AuthorizationServerHarnessTests {
    /// RFC 6749 section 2.3.1 form-encodes the Basic credentials; space goes as %20 because Authlib
    /// decodes them with `unquote`, which leaves `+` as it is.
    private static func formEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "-._~").union(.alphanumerics))!
    }

    @Test func clientSecretBasicWithReservedCharactersIssuesAToken() async throws {
        let server = try await AuthorizationServer(clientSecret: "s3:c+r/e% t", scopes: ["read", "write"])
        let credentials = "\(server.clientID):\(Self.formEncoded(server.clientSecret))"
        let result = try await Curl.run([
            "-u", credentials, "-d", "grant_type=client_credentials", "-d", "scope=read",
            "--data-urlencode", "resource=https://api.test/v1", server.tokenURL,
        ])

        #expect(result.status == 200, "\(result.body)")
        let token = try JSONDecoder.snakeCase.decode(TokenResponse.self, from: Data(result.body.utf8))
        #expect(token.tokenType == "Bearer")
        #expect(token.scope == "read")
        let stats = try server.stats()
        #expect(stats.tokenRequests == 1)
        #expect(stats.requests.first?.authMethod == "client_secret_basic")
        #expect(stats.requests.first?.field("resource") == "https://api.test/v1")
        #expect(stats.issuedTokens.map(\.accessToken) == [token.accessToken])
        #expect(try server.isActive(token.accessToken))
        #expect(try !server.isActive("not-issued-here"))
    }

    @Test func clientSecretPostWithReservedCharactersIssuesAToken() async throws {
        let server = try await AuthorizationServer(clientSecret: "s3:c+r/e% t", clientAuthentication: .post)
        let result = try await Curl.run([
            "--data-urlencode", "grant_type=client_credentials", "--data-urlencode", "client_id=\(server.clientID)",
            "--data-urlencode", "client_secret=\(server.clientSecret)", server.tokenURL,
        ])

        #expect(result.status == 200, "\(result.body)")
        let request = try #require(try server.stats().requests.first)
        #expect(request.authMethod == "client_secret_post")
        #expect(request.field("client_id") == server.clientID)
        #expect(request.field("client_secret") == nil, "the secret is not recorded")
    }

    @Test func wrongOrMisencodedSecretIsRefusedAsInvalidClient() async throws {
        let server = try await AuthorizationServer(clientSecret: "two words")
        let wrong = try await Curl.run([
            "-u", "\(server.clientID):other", "-d", "grant_type=client_credentials",
            server.tokenURL,
        ])
        let plusForSpace = try await Curl.run([
            "-u", "\(server.clientID):two+words", "-d",
            "grant_type=client_credentials", server.tokenURL,
        ])

        #expect(wrong.status == 401)
        #expect(wrong.body.contains(#""error": "invalid_client""#))
        #expect(plusForSpace.status == 401, "Authlib reads + in Basic credentials literally")
        #expect(try server.stats().requests.map(\.status) == [401, 401])
    }

    @Test func failNextAnswersWithAnOAuthErrorThenRecovers() async throws {
        let server = try await AuthorizationServer(clientSecret: "secret")
        try server.failNext(status: 503, count: 1)
        let arguments = ["-u", "\(server.clientID):secret", "-d", "grant_type=client_credentials", server.tokenURL]
        let failed = try await Curl.run(arguments)
        let recovered = try await Curl.run(arguments)

        #expect(failed.status == 503)
        #expect(failed.body.contains(#""error":"temporarily_unavailable""#))
        #expect(recovered.status == 200)
        try server.reset()
        #expect(try server.stats().tokenRequests == 0)
    }

    @Test func delayHoldsConcurrentTokenRequestsInParallel() async throws {
        let server = try await AuthorizationServer(clientSecret: "secret")
        try server.delay(seconds: 1)
        let request = HTTPRequest(
            "POST", "/token", headers: [HTTPField("Content-Type", "application/x-www-form-urlencoded")],
            body: .bytes(Array("grant_type=client_credentials&client_id=\(server.clientID)&client_secret=secret".utf8)))
        let port = server.port

        let started = ContinuousClock.now
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { try await DedicatedThread.run { try HTTPClient(port: port).exchange(request).status } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started

        #expect(statuses == [200, 200, 200, 200])
        #expect(elapsed >= .seconds(1))
        // Served one after another, the requests would arrive at least a second apart.
        let arrivals = try server.stats().requests.map(\.timestamp)
        #expect(arrivals.count == 4)
        #expect((arrivals.max() ?? 0) - (arrivals.min() ?? 0) < 1, "the delayed requests were served one at a time")
    }
}

@Suite("Harness: nginx and echo upstream")
struct EchoUpstreamHarnessTests {
    @Test func roundTripReportsHeadersAndBodyDigest() async throws {
        let upstream = try await EchoUpstream()
        let body = "{\"hello\": \"world\"}"
        let result = try await Curl.run([
            "-H", "Authorization: Bearer test-token", "-H", "Content-Type: application/json",
            "--data-binary", body, "\(upstream.baseURL)/v1/items?limit=2",
        ])

        #expect(result.status == 200, "\(result.stderr)")
        let report = try EchoReport(json: Data(result.body.utf8))
        #expect(report.method == "POST")
        #expect(report.path == "/v1/items")
        #expect(report.query == "limit=2")
        #expect(report.header("Authorization") == "Bearer test-token")
        #expect(report.header("Host") == "127.0.0.1:\(upstream.port)")
        #expect(report.bodySha256 == SHA256.hex(Array(body.utf8)))
        #expect(report.body == body)
        #expect(report.nginxProtocol == "HTTP/1.1")
        let log = try await upstream.accessLog(atLeast: 1)
        #expect(log.first?.request == "POST /v1/items?limit=2 HTTP/1.1")
        #expect(log.first?.authorization == "Bearer test-token")
        #expect(log.first?.status == 200)
    }

    @Test(arguments: [false, true])
    func twentyMegabytesArriveIntact(chunked: Bool) async throws {
        let upstream = try await EchoUpstream()
        let client = try HTTPClient(port: upstream.port)
        let response = try client.exchange(HTTPRequest("GET", "/bytes/20000000\(chunked ? "?chunked=1" : "")"))

        #expect(response.status == 200)
        #expect(response.framing == (chunked ? .chunked : .contentLength))
        #expect(response.body.count == 20_000_000)
        #expect(BytePattern.matches(response.body))
    }

    @Test func keepAliveRequestsShareOneNginxConnection() async throws {
        let upstream = try await EchoUpstream()
        let client = try HTTPClient(port: upstream.port)
        let first = try client.exchange(HTTPRequest("GET", "/bytes/100000?chunked=1"))
        let second = try client.exchange(HTTPRequest("PUT", "/second", body: .chunked([[1, 2, 3], [4, 5]])))

        #expect(first.framing == .chunked)
        #expect(BytePattern.matches(first.body) && first.body.count == 100_000)
        let report = try EchoReport(response: second)
        #expect(report.bodySha256 == SHA256.hex([1, 2, 3, 4, 5]))
        let log = try await upstream.accessLog(atLeast: 2)
        #expect(log.count == 2)
        #expect(Set(log.map(\.connection)).count == 1)
        #expect(report.nginxConnection == log.first.map { String($0.connection) })
    }

    @Test func expectContinueShowsTheInterimResponse() async throws {
        let upstream = try await EchoUpstream()
        let client = try HTTPClient(port: upstream.port)
        let body = Array("uploaded after 100".utf8)
        let request = HTTPRequest(
            "POST", "/upload", headers: [HTTPField("Expect", "100-continue")], body: .bytes(body))

        try client.sendHead(request)
        let interim = try client.readResponse()
        try client.send(request.encodedBody)
        let final = try client.readResponse()

        #expect(interim.status == 100)
        #expect(final.status == 200)
        #expect(try EchoReport(response: final).body == "uploaded after 100")
    }

    @Test func http10ClientGetsItsAnswerAndTheConnectionCloses() async throws {
        let upstream = try await EchoUpstream()
        let client = try HTTPClient(port: upstream.port)
        let response = try client.exchange(HTTPRequest("GET", "/old", version: "HTTP/1.0"))

        #expect(response.status == 200)
        #expect(try EchoReport(response: response).nginxProtocol == "HTTP/1.0")
        #expect(try client.serverCloses())
    }

    @Test func unauthorizedOnceRejectsOnlyTheFirstCredentialItSaw() async throws {
        let upstream = try await EchoUpstream()
        func status(_ token: String) throws -> Int {
            let request = HTTPRequest("GET", "/unauthorized-once/k", headers: [HTTPField("Authorization", token)])
            return try HTTPClient(port: upstream.port).exchange(request).status
        }

        #expect(try [status("Bearer old"), status("Bearer old"), status("Bearer new")] == [401, 401, 200])
        #expect(try upstream.requestCounts()["/unauthorized-once/k"] == 3)
    }

    @Test func tlsListenerServesHTTP2AndCanRequireAClientCertificate() async throws {
        let scratch = try ScratchDirectory(prefix: "tls-fixture")
        let certificate = scratch.file("cert.pem"), key = scratch.file("key.pem")
        let openssl = try ManagedProcess(
            name: "openssl", executable: try Fixtures.tool("openssl"),
            arguments: [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", "/CN=localhost", "-days", "1", "-keyout", key.path, "-out", certificate.path,
            ],
            scratch: scratch)
        #expect(try await DedicatedThread.run { openssl.waitForExit(timeout: .seconds(20)) } == .exited(0))
        let upstream = try await EchoUpstream(
            tls: .init(
                certificate: certificate, privateKey: key, clientCertificateAuthorities: certificate))
        let url = try #require(upstream.tlsBaseURL) + "/secure"

        let anonymous = try await Curl.run(["-k", "--http2", url])
        let withCertificate = try await Curl.run(
            ["-k", "--http2", "--cert", certificate.path, "--key", key.path, url])

        #expect(anonymous.status == 400, "nginx requires the client certificate")
        #expect(withCertificate.status == 200, "\(withCertificate.stderr)")
        let report = try EchoReport(json: Data(withCertificate.body.utf8))
        #expect(report.nginxProtocol == "HTTP/2.0")
    }
}

@Suite("Harness: processes")
struct ProcessHarnessTests {
    @Test func stopEndsAProcessThatIgnoresSIGTERM() async throws {
        let scratch = try ScratchDirectory(prefix: "stop")
        let stubborn = try ManagedProcess(
            name: "stubborn", executable: try Fixtures.tool("sh"),
            arguments: ["-c", "trap '' TERM; echo trapped; while :; do sleep 1; done"], scratch: scratch)
        for _ in 0..<500 where !stubborn.output().contains("trapped") { try await Task.sleep(for: .milliseconds(10)) }

        #expect(stubborn.stop(grace: .milliseconds(300)) == .signalled(SIGKILL))
        #expect(!stubborn.isRunning)
    }

    @Test func waitForPortReportsAnEarlyExitWithItsStderr() async throws {
        let scratch = try ScratchDirectory(prefix: "early-exit")
        let failing = try ManagedProcess(
            name: "failing", executable: try Fixtures.tool("sh"), arguments: ["-c", "echo boom >&2; exit 3"],
            scratch: scratch)

        await #expect {
            try await failing.waitForPort(try FreePort.allocate())
        } throws: { error in
            guard case HarnessError.exitedEarly(_, 3, let stderr) = error else { return false }
            return stderr.contains("boom")
        }
    }

    @Test func tokenProxyExecutableIsFoundAndRuns() async throws {
        let result = try await TokenProxyProcess.run(["--help"])

        #expect(result.exit == .exited(0))
        #expect(result.stdout.contains("token-proxy"))
    }
}

private struct TokenResponse: Decodable {
    let accessToken: String
    let tokenType: String
    let expiresIn: Int
    let scope: String?
}

extension JSONDecoder {
    fileprivate static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
