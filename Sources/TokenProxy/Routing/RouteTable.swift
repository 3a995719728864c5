// SPDX-License-Identifier: Apache-2.0

/// Finds the route for a request's host: an exact `host:port` entry first, then
/// the host with any port, then the default route (the one without `hosts`).
struct RouteTable: Sendable {
    private struct HostAndPort: Hashable {
        var host: String
        var port: Int
    }

    private var byHostAndPort: [HostAndPort: Int] = [:]
    private var byHost: [String: Int] = [:]
    private var defaultRoute: Int?

    /// Indexes `routes`; the configuration loader has already rejected duplicate hosts.
    init(routes: [RouteConfiguration]) {
        for (index, route) in routes.enumerated() {
            if route.hosts.isEmpty, defaultRoute == nil { defaultRoute = index }
            for pattern in route.hosts {
                // The first route to name a host keeps it.
                if let port = pattern.port {
                    let key = HostAndPort(host: pattern.host, port: port)
                    if byHostAndPort[key] == nil { byHostAndPort[key] = index }
                } else if byHost[pattern.host] == nil {
                    byHost[pattern.host] = index
                }
            }
        }
    }

    /// The index of the route serving `target`, or nil: no route, and nothing may be sent upstream.
    /// A target without a port is matched as port 80, the default of the `http://` URLs clients send.
    func routeIndex(for target: RequestTarget) -> Int? {
        guard let host = target.host else { return defaultRoute }
        return namedRouteIndex(host: host, port: target.port ?? 80) ?? defaultRoute
    }

    /// The index of the route that names `host` (with `port`, or with any port), never the default route:
    /// a tunnel opens only to a host a route names, so token-proxy relays nothing anywhere else.
    func namedRouteIndex(host: String, port: Int) -> Int? {
        byHostAndPort[HostAndPort(host: host, port: port)] ?? byHost[host]
    }
}
