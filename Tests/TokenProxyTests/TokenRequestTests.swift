// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

@Suite struct TokenRequestTests {
    private let secret = "s3cr:t+/% x"

    private func credentials(_ authentication: ClientCredentials.ClientAuthentication) -> ClientCredentials {
        ClientCredentials(
            accessTokenURL: "https://auth.test/token", clientID: "my app", clientSecret: Secret(secret),
            scope: "read write", accessTokenParameters: [TokenParameter(name: "resource", value: "https://x/y")],
            clientAuthentication: authentication)
    }

    private func make(_ credentials: ClientCredentials) throws -> (headers: HTTPHeaders, body: [UInt8]) {
        try TokenRequest.make(
            for: credentials, authenticator: ClientAuthenticator(credentials: credentials, signingKey: nil), now: Date()
        )
    }

    @Test func bodyAuthenticationSendsFormFields() throws {
        let (headers, body) = try make(credentials(.body))
        #expect(
            String(decoding: body, as: UTF8.self)
                == "grant_type=client_credentials&scope=read+write&resource=https%3A%2F%2Fx%2Fy&client_id=my+app&client_secret=s3cr%3At%2B%2F%25+x"
        )
        #expect(headers.first(name: "Authorization") == nil)
        #expect(headers.first(name: "Content-Type") == "application/x-www-form-urlencoded")
    }

    @Test func headerAuthenticationFormEncodesBeforeBase64() throws {
        let (headers, body) = try make(credentials(.header))
        let value = try #require(headers.first(name: "Authorization"))
        let decoded = String(
            decoding: try #require(Data(base64Encoded: String(value.dropFirst("Basic ".count)))), as: UTF8.self)
        #expect(decoded == "my%20app:s3cr%3At%2B%2F%25%20x")
        #expect(!String(decoding: body, as: UTF8.self).contains("client_secret"))
    }
}

@Suite struct TokenResponseTests {
    private let url = "https://auth.test/token"

    private func parse(_ status: Int, _ json: String) throws(TokenError) -> TokenResponse {
        try TokenResponse.parse(status: status, body: Array(json.utf8), truncated: false, url: url)
    }

    @Test func readsTokenAndLifetime() throws {
        let response = try parse(200, #"{"access_token":"abc","token_type":"bearer","expires_in":"60"}"#)
        #expect(response == TokenResponse(accessToken: Secret("abc"), expiresIn: .seconds(60)))
    }

    @Test func lifetimeMayBeANumberOrAbsent() throws {
        #expect(try parse(200, #"{"access_token":"abc","expires_in":3600}"#).expiresIn == .seconds(3600))
        #expect(try parse(200, #"{"access_token":"abc","extra":{"nested":[1,2]}}"#).expiresIn == nil)
    }

    @Test func errorStatusCarriesOAuthError() {
        #expect(
            throws: TokenError.refused(url: url, status: 401, error: "invalid_client", errorDescription: "bad secret")
        ) {
            try parse(401, #"{"error":"invalid_client","error_description":"bad secret"}"#)
        }
    }

    @Test(arguments: [
        "<html>", #"{"token_type":"Bearer"}"#, #"{"access_token":"a b"}"#, #"{"access_token":"a","token_type":"mac"}"#,
        #"{"access_token":"a","expires_in":-5}"#, #"{"access_token":7}"#, #"{"access_token":"a","expires_in":"soon"}"#,
        #"["access_token"]"#,
    ])
    func unusableSuccessIsRejected(_ body: String) {
        #expect(throws: TokenError.self) { try parse(200, body) }
    }

    @Test(arguments: ["Bearer", "bearer", "BEARER"])
    func tokenTypeIgnoresCase(_ type: String) throws {
        #expect(try parse(200, #"{"access_token":"abc","token_type":"\#(type)"}"#).accessToken == Secret("abc"))
    }

    @Test func otherTokenTypesAreRefusedByName() {
        #expect(
            throws: TokenError.invalidResponse(
                url: url, status: 200,
                reason: "token_type is \"DPoP\"; token-proxy sends only Bearer tokens, "
                    + "so configure this client at the authorization server for Bearer tokens")
        ) {
            try parse(200, #"{"access_token":"abc","token_type":"DPoP"}"#)
        }
    }

    @Test func messagesNeverCarryTheToken() {
        do {
            _ = try parse(200, #"{"access_token":"secret-token-value","token_type":"mac"}"#)
        } catch {
            #expect(!error.description.contains("secret-token-value"))
        }
    }
}
