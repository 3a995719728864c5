// SPDX-License-Identifier: Apache-2.0

/// `auth.*`: how a route gets the bearer token it injects.
public enum AuthConfiguration: Sendable, Equatable {
    /// `none`: requests are forwarded without `Authorization`.
    case none
    /// `static`: `auth.accessToken` is injected as is.
    case staticToken(Secret)
    /// `oauth2ClientCredentials`: a token from the token endpoint, cached and refreshed.
    case clientCredentials(ClientCredentials)
}

/// The OAuth 2.0 client-credentials settings of a route.
public struct ClientCredentials: Sendable, Equatable {
    /// How the client authenticates to the token endpoint (`auth.clientAuthentication`).
    public enum ClientAuthentication: String, Sendable, Equatable, CaseIterable {
        /// `client_id` and `client_secret` as form fields.
        case body
        /// HTTP Basic, each part form-encoded first (RFC 6749 section 2.3.1).
        case header
        /// A client assertion signed with `signingKey` (RFC 7523, OpenID Connect `private_key_jwt`).
        case privateKeyJWT
        /// A client assertion signed HS256 with the client secret (`client_secret_jwt`).
        case clientSecretJWT
        /// Mutual TLS (RFC 8705 `tls_client_auth`): the route's `tls.keyStore`, and `client_id` in the body.
        case tls
        /// A JWT the platform writes to `clientAssertionFile` (workload identity federation).
        case assertionFile

        /// Whether the method sends `clientSecret`.
        public var usesClientSecret: Bool { self == .body || self == .header || self == .clientSecretJWT }
    }

    /// `auth.accessTokenURL`, an `http://` or `https://` URL.
    public var accessTokenURL: String
    /// `auth.clientID`.
    public var clientID: String
    /// `auth.clientSecret`; nil for the methods that send no secret.
    public var clientSecret: Secret?
    /// `auth.scope`: space-separated scopes; nil sends no `scope`.
    public var scope: String?
    /// `auth.accessTokenParameters`: extra form fields, in order.
    public var accessTokenParameters: [TokenParameter]
    /// `auth.clientAuthentication`, default `body`.
    public var clientAuthentication: ClientAuthentication
    /// `auth.signingKey*`: the key of `privateKeyJWT`.
    public var signingKey: SigningKeyConfiguration?
    /// `auth.assertionAudience`: the `aud` of signed assertions; nil uses `accessTokenURL`.
    public var assertionAudience: String?
    /// `auth.clientAssertionFile`: the file `assertionFile` reads for every token request.
    public var clientAssertionFile: String?

    public init(
        accessTokenURL: String,
        clientID: String,
        clientSecret: Secret?,
        scope: String? = nil,
        accessTokenParameters: [TokenParameter] = [],
        clientAuthentication: ClientAuthentication = .body,
        signingKey: SigningKeyConfiguration? = nil,
        assertionAudience: String? = nil,
        clientAssertionFile: String? = nil
    ) {
        self.accessTokenURL = accessTokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.accessTokenParameters = accessTokenParameters
        self.clientAuthentication = clientAuthentication
        self.signingKey = signingKey
        self.assertionAudience = assertionAudience
        self.clientAssertionFile = clientAssertionFile
    }
}

/// One `{Name, Value}` entry of `auth.accessTokenParameters`.
public struct TokenParameter: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
