// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// Client-credentials tokens against a real Authlib authorization server.
@Suite("Client-credentials tokens")
struct TokenTests {
    @Test(arguments: [("body", "client_secret_post"), ("header", "client_secret_basic")])
    func bothClientAuthenticationMethodsWork(configured: String, seenAs: String) async throws {
        // The default secret of the test server holds ":+/% ", which both encodings must carry.
        let stack = try await ProxyStack(clientAuthentication: configured)
        let response = try stack.send("/v1/auth")

        #expect(response.status == 200)
        let stats = try stack.authorizationServer.stats()
        #expect(stats.requests.map(\.authMethod) == [seenAs])
        #expect(stats.requests.first?.status == 200)
    }

    @Test func scopeAndExtraParametersReachTheTokenEndpoint() async throws {
        let stack = try await ProxyStack(
            auth: """
                      scope: read write
                      accessTokenParameters: '[{"Name":"resource","Value":"https://api.test/"},{"Name":"audience","Value":"a b"}]'
                """)
        #expect(try stack.send("/v1/scoped").status == 200)

        let request = try #require(try stack.authorizationServer.stats().requests.first)
        #expect(request.field("grant_type") == "client_credentials")
        #expect(request.field("scope") == "read write")
        #expect(request.field("resource") == "https://api.test/")
        #expect(request.field("audience") == "a b")
    }

    @Test func fiftyConcurrentFirstRequestsCauseOneTokenRequest() async throws {
        let stack = try await ProxyStack { server in try server.delay(seconds: 1) }
        let statuses = try await stack.statusesOfConcurrentRequests(50) { "/burst/\($0)" }

        #expect(statuses == Array(repeating: 200, count: 50))
        #expect(try stack.authorizationServer.stats().tokenRequests == 1)
    }

    @Test func shortLivedTokensAreRefreshedWithoutAFailedRequest() async throws {
        let stack = try await ProxyStack(expiresIn: 3)
        var tokens: Set<String> = []
        // Tokens live 3 s; keep asking until a second one is used (bounded for a busy machine).
        let end = ContinuousClock.now + .seconds(30)
        while tokens.count < 2, ContinuousClock.now < end {
            let response = try stack.send("/v1/steady")
            #expect(response.status == 200)
            if let token = try EchoReport(response: response).header("Authorization") { tokens.insert(token) }
            try await Task.sleep(for: .milliseconds(100))
        }

        let issued = Set(try stack.authorizationServer.stats().issuedTokens.map { "Bearer \($0.accessToken)" })
        #expect(tokens.count >= 2, "the token was not refreshed")
        #expect(tokens.isSubset(of: issued))
    }

    @Test func upstream401RefetchesTheTokenAndReplaysOnce() async throws {
        let stack = try await ProxyStack()
        let response = try stack.send(
            "/unauthorized-once/single", method: "POST", body: .bytes(Array("replayed body".utf8)))

        #expect(response.status == 200)
        #expect(try EchoReport(response: response).bodySha256 == SHA256.hex(Array("replayed body".utf8)))
        #expect(try stack.authorizationServer.stats().tokenRequests == 2)
    }

    @Test func burstOf401sForOneStaleTokenRefetchesOnce() async throws {
        let stack = try await ProxyStack()
        #expect(try stack.send("/warm-up").status == 200)
        let statuses = try await stack.statusesOfConcurrentRequests(10) { _ in "/unauthorized-once/burst" }

        #expect(statuses == Array(repeating: 200, count: 10))
        #expect(try stack.authorizationServer.stats().tokenRequests == 2)
    }

    @Test func tokenEndpointFailureGives502WithTheOAuthError() async throws {
        let stack = try await ProxyStack { server in try server.failNext(status: 503, count: -1) }
        let response = try stack.send("/v1/down")

        #expect(response.status == 502)
        #expect(response.header("Content-Type") == "application/json")
        let error = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
        #expect(error?["error"] == "token_unavailable")
        #expect(error?["message"]?.contains("HTTP 503") == true)
        #expect(error?["message"]?.contains("temporarily_unavailable") == true)
        #expect(try stack.upstream.requestCounts()["/v1/down"] == nil, "the request went upstream without a token")
        // Request lines leave with their loop's batch, at the end of the loop's turn.
        #expect(try await eventually { stack.proxyOutput.contains("temporarily_unavailable") })
    }

    @Test func logsNeverContainSecretsOrTokens() async throws {
        let stack = try await ProxyStack(clientAuthentication: "header")
        _ = try stack.send("/v1/a")
        _ = try stack.send("/unauthorized-once/log")
        try stack.authorizationServer.failNext(status: 401, count: 1)
        _ = try stack.send("/unauthorized-once/log2")

        let output = stack.proxyOutput
        #expect(!output.isEmpty)
        for secret in try stack.secrets() {
            #expect(!output.contains(secret), "token-proxy's output holds a secret")
        }
    }
}
