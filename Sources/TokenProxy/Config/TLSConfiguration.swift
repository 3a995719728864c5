// SPDX-License-Identifier: Apache-2.0

/// `tls.*`: the stores a route uses for its upstream and its token endpoint.
/// Paths are as configured; the stores are opened by `TLSMaterial`.
public struct TLSConfiguration: Sendable, Equatable {
    /// `tls.trustStore`: JKS, PKCS12 or PEM; nil trusts the system CAs.
    public var trustStore: String?
    /// `tls.trustStorePassword`; nil or empty reads without the integrity check.
    public var trustStorePassword: Secret?
    /// `tls.keyStore`: client certificate and key for two-way TLS.
    public var keyStore: String?
    /// `tls.keyStorePassword`.
    public var keyStorePassword: Secret?
    /// `tls.keyAlias`: which key of several.
    public var keyAlias: String?
    /// `tls.keyPassword`; defaults to the key store password.
    public var keyPassword: Secret?

    public init(
        trustStore: String? = nil,
        trustStorePassword: Secret? = nil,
        keyStore: String? = nil,
        keyStorePassword: Secret? = nil,
        keyAlias: String? = nil,
        keyPassword: Secret? = nil
    ) {
        self.trustStore = trustStore
        self.trustStorePassword = trustStorePassword
        self.keyStore = keyStore
        self.keyStorePassword = keyStorePassword
        self.keyAlias = keyAlias
        self.keyPassword = keyPassword
    }
}
