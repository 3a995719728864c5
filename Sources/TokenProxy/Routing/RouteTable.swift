// SPDX-License-Identifier: Apache-2.0

/// Finds the route for a request's host: an exact `host:port` entry first, then
/// the host with any port, then the default route (the one without `hosts`).
struct RouteTable: Sendable {
    private var byHostAndPort: [String: Int] = [:]
    private var byHost: [String: Int] = [:]
    private var defaultRoute: Int?

    /// Indexes `routes`; the configuration loader has already rejected duplicate hosts.
    init(routes: [RouteConfiguration]) {
        for (index, route) in routes.enumerated() {
            if route.hosts.isEmpty, defaultRoute == nil { defaultRoute = index }
            for pattern in route.hosts {
                if let port = pattern.port {
                    byHostAndPort["\(pattern.host):\(port)"] = byHostAndPort["\(pattern.host):\(port)"] ?? index
                } else {
                    byHost[pattern.host] = byHost[pattern.host] ?? index
                }
            }
        }
    }

    /// The index of the route serving `target`, or nil: no route, and nothing may be sent upstream.
    /// A target without a port is matched as port 80, the default of the `http://` URLs clients send.
    func routeIndex(for target: RequestTarget) -> Int? {
        guard let host = target.host else { return defaultRoute }
        return byHostAndPort["\(host):\(target.port ?? 80)"] ?? byHost[host] ?? defaultRoute
    }
}
