// SPDX-License-Identifier: Apache-2.0
import Logging

/// "Generate Access Token": gets one token for a route exactly as `serve` would.
public enum AccessTokenGenerator {
    public enum Failure: Error, CustomStringConvertible {
        case startup(StartupError)
        case noSuchRoute(String, known: [String])
        case noTokenRoute
        case routeInjectsNoToken(String)
        case token(route: String, TokenError)

        public var description: String {
            switch self {
            case .startup(let error):
                "\(error)"
            case .noSuchRoute(let name, let known):
                "no route named '\(name)'; routes: \(known.joined(separator: ", "))"
            case .noTokenRoute:
                "no route has auth.type oauth2ClientCredentials or static"
            case .routeInjectsNoToken(let name):
                "route '\(name)' has auth.type none: it injects no token"
            case .token(let route, let error):
                "route '\(route)': \(error)"
            }
        }
    }

    /// The token of `routeName`, or of the first route that injects one.
    public static func token(
        configuration: ProxyConfiguration, routeName: String?, environment: [String: String], logger: Logger
    ) async throws(Failure) -> Secret {
        let loop = EventLoop(index: 0)
        let routes: [Route]
        do {
            routes = try RouteFactory(
                platform: PlatformProxy(environment: environment), tokenHome: loop.multi, logger: logger
            )
            .makeRoutes(configuration).routes
        } catch {
            throw .startup(error)
        }
        let route: Route
        if let routeName {
            guard let named = routes.first(where: { $0.name == routeName }) else {
                throw .noSuchRoute(routeName, known: routes.map(\.name))
            }
            route = named
        } else {
            // The contract: the first OAuth route; failing that, a static token is still a token to print.
            let oauth = routes.first { if case .clientCredentials = $0.credentials { true } else { false } }
            let staticToken = routes.first { if case .staticToken = $0.credentials { true } else { false } }
            guard let first = oauth ?? staticToken else { throw .noTokenRoute }
            route = first
        }
        let result = await withCheckedContinuation { continuation in
            route.credentials.token(on: loop.queue) { continuation.resume(returning: $0) }
        }
        switch result {
        case .success(let token?): return token
        case .success(nil): throw .routeInjectsNoToken(route.name)
        case .failure(let error): throw .token(route: route.name, error)
        }
    }
}
