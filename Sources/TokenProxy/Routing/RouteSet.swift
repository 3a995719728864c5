// SPDX-License-Identifier: Apache-2.0
import Synchronization

/// The routes in force and their host index; replaced as a whole when the
/// configuration is reloaded, so a request sees either the old set or the new.
final class RouteSet: Sendable {
    let routes: [Route]
    let table: RouteTable

    init(_ routes: [Route]) {
        self.routes = routes
        table = RouteTable(routes: routes.map(\.configuration))
    }

    /// The route for `target`, or nil: nothing may be sent upstream.
    func route(for target: RequestTarget) -> Route? {
        table.routeIndex(for: target).map { routes[$0] }
    }

    /// The route serving a tunnel to `authority`: only a route that names its host.
    func route(for authority: TunnelAuthority) -> Route? {
        table.namedRouteIndex(host: authority.host, port: authority.port).map { routes[$0] }
    }

    /// The token sources of the client-credentials routes.
    var tokenSources: [ClientCredentialsTokenSource] {
        routes.compactMap { route in
            if case .clientCredentials(let source) = route.credentials { source } else { nil }
        }
    }
}

/// The route set in force, readable from any queue (the admin listener's, a reload's).
final class InstalledRoutes: Sendable {
    private let current: Mutex<RouteSet>

    init(_ routes: RouteSet) {
        current = Mutex(routes)
    }

    var routes: RouteSet {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
