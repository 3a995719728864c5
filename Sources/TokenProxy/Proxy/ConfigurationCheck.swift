// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `token-proxy check`: validates a configuration and opens every store, offline.
public enum ConfigurationCheck {
    /// One summary line per route, then the interception CA; throws what would stop `serve`.
    /// `now` decides which certificates are reported as expired or expiring.
    public static func run(configuration: ProxyConfiguration, now: Date = Date()) throws(StartupError) -> [String] {
        var lines = configuration.protectedModeWarning.map { ["warning: \($0)"] } ?? []
        for route in configuration.routes {
            let material = try RouteFactory.openStores(of: route)
            let signingKey = try RouteFactory.openSigningKey(of: route)
            lines.append(summary(of: route))
            lines += storeLines(material)
            lines += clientAuthenticationLines(route, signingKey: signingKey)
        }
        if let intercept = configuration.intercept {
            lines += authorityLines(try Interception.load(intercept, now: now).authority)
        }
        return lines
    }

    /// The CA that signs intercepted hosts' leaves, and its fingerprint for users to compare with what apps trust.
    static func authorityLines(_ authority: CertificateAuthority) -> [String] {
        let alias = authority.alias.map { " '\($0)'" } ?? ""
        return [
            "intercept CA \(authority.path) (\(authority.format.rawValue))\(alias): "
                + describe(authority.certificate.summary(alias: nil)),
            "  SHA-256 fingerprint \(authority.certificate.fingerprintSHA256)",
        ] + authority.warnings.map { "  warning: \($0)" }
    }

    /// Per store: format, entries (alias, subject, expiry), the chosen client certificate, warnings.
    static func storeLines(_ material: TLSMaterial?) -> [String] {
        guard let material else { return [] }
        var lines: [String] = []
        if let trust = material.trustStore {
            lines.append(
                "  trust store \(trust.path) (\(trust.format.rawValue)), \(trust.certificates.count) certificate(s):")
            lines += trust.certificates.map { "    " + describe($0) }
        }
        if let identity = material.clientIdentity {
            lines.append(
                "  key store \(identity.path) (\(identity.format.rawValue)), client certificate\(identity.alias.map { " '\($0)'" } ?? ""):"
            )
            lines += identity.chain.map { "    " + describe($0) }
        }
        lines += material.warnings.map { "  warning: \($0)" }
        return lines
    }

    /// What the route signs its client assertions with, or where it reads them; never a secret.
    static func clientAuthenticationLines(_ route: RouteConfiguration, signingKey: SigningKey?) -> [String] {
        guard case .clientCredentials(let credentials) = route.auth else { return [] }
        let audience = credentials.assertionAudience ?? credentials.accessTokenURL
        switch credentials.clientAuthentication {
        case .privateKeyJWT:
            guard let key = signingKey else { return [] }
            var lines = [
                "  signing key \(key.path) (\(key.format.rawValue))\(key.alias.map { " '\($0)'" } ?? ""): "
                    + "\(key.signer.algorithm.rawValue), kid \(key.keyID), audience \(audience)"
            ]
            if let certificate = key.certificate, let thumbprint = key.thumbprintSHA256 {
                lines.append("    certificate " + describe(certificate) + ", x5t#S256 \(thumbprint)")
            } else {
                lines.append("    no certificate in the store: the JWS header carries no x5t")
            }
            lines += key.warnings.map { "  warning: \($0)" }
            return lines
        case .clientSecretJWT:
            return ["  client assertion signed HS256 with the client secret, audience \(audience)"]
        case .assertionFile:
            return ["  client assertion read from \(credentials.clientAssertionFile ?? "") for every token request"]
        case .tls:
            return ["  the token request presents the key store's client certificate (RFC 8705)"]
        case .body, .header:
            return []
        }
    }

    private static func describe(_ certificate: CertificateSummary) -> String {
        let alias = certificate.alias.map { "\($0): " } ?? ""
        return
            "\(alias)\(certificate.subject) (issuer \(certificate.issuer), expires \(certificate.notAfter.formatted(.iso8601)))"
    }

    static func summary(of route: RouteConfiguration) -> String {
        let hosts = route.hosts.isEmpty ? "(default route)" : route.hosts.map(\.description).joined(separator: ",")
        let auth: String
        switch route.auth {
        case .none: auth = "none"
        case .staticToken: auth = "static token"
        case .clientCredentials(let credentials):
            auth =
                "oauth2ClientCredentials via \(credentials.accessTokenURL) (client \(credentials.clientID), client authentication \(credentials.clientAuthentication.rawValue))"
        }
        let proxy: String
        switch route.proxy {
        case .none: proxy = "none"
        case .platform: proxy = "platform"
        case .custom(let custom): proxy = "custom \(HostPort(host: custom.host, port: custom.port))"
        }
        return "route \(route.name): \(hosts) -> \(route.upstream); auth \(auth); proxy \(proxy); "
            + "http \(route.httpVersion.rawValue); timeout \(route.connectionTimeout.seconds.formatted) s; "
            + "retries \(route.retryAttempts)"
    }
}
