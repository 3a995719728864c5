// SPDX-License-Identifier: Apache-2.0

/// `auth.signingKeyStore` and its companions: the key that signs a route's
/// `privateKeyJWT` client assertions. The store is any format `tls.keyStore`
/// takes, with the same rules; it is opened by `SigningKey`.
public struct SigningKeyConfiguration: Sendable, Equatable {
    /// `auth.signingKeyStore`: JKS, PKCS12 or PEM.
    public var keyStore: String
    /// `auth.signingKeyStorePassword`.
    public var keyStorePassword: Secret?
    /// `auth.signingKeyAlias`: which key of several.
    public var keyAlias: String?
    /// `auth.signingKeyPassword`; defaults to the store password.
    public var keyPassword: Secret?
    /// `auth.signingAlgorithm`; nil picks RS256 for RSA keys, ES256 for P-256 and ES384 for P-384.
    public var algorithm: JWSAlgorithm?
    /// `auth.signingKeyID`: the JWS `kid`; nil derives it from the certificate or the public key.
    public var keyID: String?

    public init(
        keyStore: String,
        keyStorePassword: Secret? = nil,
        keyAlias: String? = nil,
        keyPassword: Secret? = nil,
        algorithm: JWSAlgorithm? = nil,
        keyID: String? = nil
    ) {
        self.keyStore = keyStore
        self.keyStorePassword = keyStorePassword
        self.keyAlias = keyAlias
        self.keyPassword = keyPassword
        self.algorithm = algorithm
        self.keyID = keyID
    }
}
