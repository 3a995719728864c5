// SPDX-License-Identifier: Apache-2.0
import Logging

/// Turns configured routes into running ones: opens the TLS stores, resolves
/// the chained proxy and creates the token sources.
enum RouteFactory {
    /// - Parameter tokenHome: the multi on whose loop every token request runs.
    static func makeRoutes(
        _ configuration: ProxyConfiguration, platform: PlatformProxy, tokenHome: CurlMulti, logger: Logger
    ) throws(StartupError) -> [Route] {
        var routes: [Route] = []
        for route in configuration.routes {
            let tls = try openStores(of: route)
            for warning in tls?.warnings ?? [] {
                logger.warning("\(warning)", metadata: ["route": "\(route.name)"])
            }
            let connection = UpstreamConnection(
                tls: tls, proxy: ProxyRoute(settings: route.proxy, scheme: route.upstream.scheme, platform: platform),
                httpVersion: route.httpVersion)
            let credentials: CredentialSource
            switch route.auth {
            case .none:
                credentials = .none
            case .staticToken(let token):
                credentials = .staticToken(token)
            case .clientCredentials(let clientCredentials):
                // The token request follows the platform proxy whatever the route's proxy.type.
                let tokenScheme: UpstreamURL.Scheme = clientCredentials.accessTokenURL.lowercased().hasPrefix("http://") ? .http : .https
                var tokenConnection = connection
                tokenConnection.proxy = platform.route(for: tokenScheme)
                credentials = .clientCredentials(
                    ClientCredentialsTokenSource(
                        routeName: route.name, credentials: clientCredentials, connection: tokenConnection,
                        timeout: route.connectionTimeout, home: tokenHome, logger: logger))
            }
            routes.append(Route(configuration: route, credentials: credentials, connection: connection))
        }
        return routes
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
