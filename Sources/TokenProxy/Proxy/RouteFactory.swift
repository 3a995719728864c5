// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging

/// Turns configured routes into running ones: opens the TLS stores, resolves
/// the chained proxy and creates (or, on reload, keeps) the token sources.
struct RouteFactory {
    let platform: PlatformProxy
    /// The multi on whose loop every token request runs.
    let tokenHome: CurlMulti
    let logger: Logger

    /// - Parameter previous: the routes in force before a reload; a route whose
    ///   client credentials are unchanged keeps its token source and token.
    func makeRoutes(_ configuration: ProxyConfiguration, previous: RouteSet? = nil) throws(StartupError) -> RouteSet {
        var routes: [Route] = []
        for route in configuration.routes {
            let tls = try Self.openStores(of: route)
            for warning in tls?.warnings ?? [] {
                logger.warning("\(warning)", metadata: ["route": "\(route.name)"])
            }
            let connection = UpstreamConnection(
                tls: tls,
                proxy: ProxyRoute(
                    settings: route.proxy, scheme: route.upstream.scheme, host: route.upstream.host, platform: platform),
                httpVersion: route.httpVersion)
            let credentials: CredentialSource
            switch route.auth {
            case .none:
                credentials = .none
            case .staticToken(let token):
                credentials = .staticToken(token)
            case .clientCredentials(let clientCredentials):
                let signingKey = try Self.openSigningKey(of: route)
                for warning in signingKey?.warnings ?? [] {
                    logger.warning("\(warning)", metadata: ["route": "\(route.name)"])
                }
                let authenticator = ClientAuthenticator(credentials: clientCredentials, signingKey: signingKey)
                credentials = .clientCredentials(
                    tokenSource(
                        for: route, clientCredentials, authenticator: authenticator, connection: connection,
                        previous: previous))
            }
            routes.append(Route(configuration: route, credentials: credentials, connection: connection))
        }
        return RouteSet(routes)
    }

    private func tokenSource(
        for route: RouteConfiguration, _ credentials: ClientCredentials, authenticator: ClientAuthenticator,
        connection: UpstreamConnection, previous: RouteSet?
    ) -> ClientCredentialsTokenSource {
        // The token request follows the platform proxy whatever the route's proxy.type.
        let scheme: UpstreamURL.Scheme = credentials.accessTokenURL.lowercased().hasPrefix("http://") ? .http : .https
        var tokenConnection = connection
        let host = URLComponents(string: credentials.accessTokenURL)?.host ?? ""
        tokenConnection.proxy = platform.route(for: scheme, host: host)
        if let kept = previous?.tokenSources.first(where: {
            $0.routeName == route.name && $0.credentials == credentials
        }) {
            kept.update(connection: tokenConnection, authenticator: authenticator)
            return kept
        }
        return ClientCredentialsTokenSource(
            routeName: route.name, credentials: credentials, authenticator: authenticator, connection: tokenConnection,
            timeout: route.connectionTimeout, home: tokenHome, logger: logger)
    }

    /// The route's `privateKeyJWT` signing key, read once; nil for other methods.
    static func openSigningKey(of route: RouteConfiguration) throws(StartupError) -> SigningKey? {
        guard case .clientCredentials(let credentials) = route.auth, let configuration = credentials.signingKey else {
            return nil
        }
        do {
            return try SigningKey.load(configuration)
        } catch {
            throw .signingKey(route: route.name, error)
        }
    }

    /// The route's trust and key stores, read once; nil when it names none.
    static func openStores(of route: RouteConfiguration) throws(StartupError) -> TLSMaterial? {
        guard route.tls != TLSConfiguration() else { return nil }
        do {
            return try TLSMaterial.load(route.tls)
        } catch {
            throw .keyStore(route: route.name, error)
        }
    }
}
