// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What the authorization server saw and issued, from its `GET /stats`.
struct TokenEndpointStats: Decodable, Sendable {
    /// One token request as received, the client secret left out.
    struct Request: Decodable, Sendable {
        /// `client_secret_basic`, `client_secret_post`, `both` or `none`: what the client presented.
        let authMethod: String
        let contentType: String
        /// Form fields in order, repeated names kept.
        let form: [[String]]
        /// The status the server answered with.
        let status: Int
        /// Seconds since 1970 when the request arrived.
        let timestamp: Double
        /// The client assertion's header and claims (values as text), unverified; nil without one.
        let assertion: Assertion?

        /// The first value of form field `name`.
        func field(_ name: String) -> String? {
            form.first { $0.first == name }?.last
        }
    }

    /// A decoded `client_assertion`.
    struct Assertion: Decodable, Sendable {
        let header: [String: String]
        let claims: [String: String]
    }

    /// A token the server issued.
    struct IssuedToken: Decodable, Sendable {
        let accessToken: String
        let clientId: String
        let scope: String
        let expiresIn: Int
        let issuedAt: Double
    }

    let tokenRequests: Int
    let requests: [Request]
    let issuedTokens: [IssuedToken]

    static func decode(_ body: [UInt8]) throws -> TokenEndpointStats {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(TokenEndpointStats.self, from: Data(body))
    }
}
