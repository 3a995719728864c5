// SPDX-License-Identifier: Apache-2.0

/// A token-proxy configuration, as YAML, with one default route to an upstream and the route's TLS stores.
///
/// The route goes direct (`proxy.type: none`) so that a proxy in the test's
/// environment cannot carry the upstream exchange; the token request follows
/// the environment, as the contract says.
struct TLSRouteConfiguration {
    /// Where the route's token comes from.
    enum Authentication {
        case staticToken(String)
        case clientCredentials(tokenURL: String, clientID: String, clientSecret: String)
    }

    var listenPort: Int
    var upstream: String
    var authentication: Authentication
    var trustStore: TestPKI.Store?
    var keyStore: TestPKI.Store?

    func rendered() -> String {
        var lines = [
            "listen: \(Self.quoted("127.0.0.1:\(listenPort)"))",
            "routes:",
            "  - name: secure",
            "    upstream: \(Self.quoted(upstream))",
            "    proxy:",
            "      type: none",
            "    auth:",
        ]
        switch authentication {
        case .staticToken(let token):
            lines += ["      type: static", "      accessToken: \(Self.quoted(token))"]
        case .clientCredentials(let tokenURL, let clientID, let clientSecret):
            lines += [
                "      type: oauth2ClientCredentials",
                "      accessTokenURL: \(Self.quoted(tokenURL))",
                "      clientID: \(Self.quoted(clientID))",
                "      clientSecret: \(Self.quoted(clientSecret))",
            ]
        }
        let tls = [
            ("trustStore", trustStore?.path.path), ("trustStorePassword", trustStore?.password),
            ("keyStore", keyStore?.path.path), ("keyStorePassword", keyStore?.password),
            ("keyPassword", keyStore?.keyPassword),
        ].compactMap { key, value in value.map { "      \(key): \(Self.quoted($0))" } }
        if !tls.isEmpty {
            lines += ["    tls:"] + tls
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar; test values hold no control characters.
    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
