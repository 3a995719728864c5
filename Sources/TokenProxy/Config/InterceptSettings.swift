// SPDX-License-Identifier: Apache-2.0

/// `intercept`: HTTPS apps reach routed hosts through `CONNECT`, and token-proxy
/// terminates their TLS with leaf certificates minted by a local CA.
/// Paths are as configured; the CA is opened by `CertificateAuthority`.
public struct InterceptSettings: Sendable, Equatable {
    /// `intercept.ca.*`: the CA's certificate and private key.
    public var authority: AuthorityStore

    public init(authority: AuthorityStore) {
        self.authority = authority
    }

    /// Where the CA is kept, with the rules of `tls.keyStore`.
    public struct AuthorityStore: Sendable, Equatable {
        /// `intercept.ca.keyStore`: JKS, PKCS12 or PEM, such as `token-proxy ca init` writes.
        public var keyStore: String
        /// `intercept.ca.keyStorePassword`.
        public var keyStorePassword: Secret?
        /// `intercept.ca.keyAlias`: which key of several.
        public var keyAlias: String?
        /// `intercept.ca.keyPassword`; defaults to the store password.
        public var keyPassword: Secret?

        public init(
            keyStore: String, keyStorePassword: Secret? = nil, keyAlias: String? = nil, keyPassword: Secret? = nil
        ) {
            self.keyStore = keyStore
            self.keyStorePassword = keyStorePassword
            self.keyAlias = keyAlias
            self.keyPassword = keyPassword
        }
    }
}
