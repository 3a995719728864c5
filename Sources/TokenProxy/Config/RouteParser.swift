// SPDX-License-Identifier: Apache-2.0

/// Builds one `RouteConfiguration` from a route's map with the top-level defaults under it.
///
/// Keys a route does not write keep the defaults of `RouteConfiguration`'s initialiser.
enum RouteParser {
    /// The keys of a route.
    static let keys = [
        "name", "hosts", "upstream", "auth", "tls", "proxy",
        "connectionTimeout", "endpoints", "retryAttempts", "retryDelay", "httpVersion",
    ]
    /// The keys that describe one route only, so they cannot be top-level defaults.
    static let ownKeys = ["name", "hosts"]
    /// The keys that may be written at the top level as defaults for every route.
    static let defaultableKeys = keys.filter { !ownKeys.contains($0) }

    static func parse(_ route: LayeredMap) throws(ConfigError) -> RouteConfiguration {
        var config = RouteConfiguration(
            name: try name(route.required("name", hint: "give each route a unique name")),
            upstream: try route.required("upstream", hint: "set the URL this route forwards to").address(
                UpstreamURL.init(parsing:),
                expected: "a URL such as https://api.example.com or http://10.0.0.5:8080/base"
            ),
            auth: try AuthParser.parse(route),
            tls: try TLSParser.parse(route),
            proxy: try ProxyParser.parse(route)
        )
        if let node = route["hosts"] { config.hosts = try hosts(node) }
        if let node = route["connectionTimeout"] { config.connectionTimeout = try node.seconds(positive: true) }
        if let node = route["endpoints"] { config.endpoints = try endpoints(node) }
        if let node = route["retryAttempts"] { config.retryAttempts = try retryAttempts(node) }
        if let node = route["retryDelay"] { config.retryDelay = try node.seconds(positive: false) }
        if let node = route["httpVersion"] { config.httpVersion = try httpVersion(node) }
        return config
    }

    /// Route names become log fields and metric labels, so they keep to a safe alphabet.
    private static func name(_ node: ConfigNode) throws(ConfigError) -> String {
        let name = try node.nonEmptyString("a route name")
        guard name.allSatisfy(\.isNameCharacter) else {
            throw node.invalid("a route name may hold only letters A-Z and a-z, digits, '.', '_' and '-'")
        }
        return name
    }

    private static func hosts(_ node: ConfigNode) throws(ConfigError) -> [HostPattern] {
        let items = try node.list("a list of hosts, such as [api.example.com, \"api.example.com:8443\"]")
        guard !items.isEmpty else {
            throw node.invalid("the list is empty; leave hosts out to make this the default route")
        }
        var patterns: [HostPattern] = []
        for item in items {
            patterns.append(
                try item.address(
                    HostPattern.init(parsing:),
                    expected: "host or host:port, such as api.example.com, api.example.com:8443 or [::1]:8443"
                ))
        }
        return patterns
    }

    private static func endpoints(_ node: ConfigNode) throws(ConfigError) -> [EndpointTimeout] {
        var endpoints: [EndpointTimeout] = []
        for item in try node.list("a list of {path, timeout} maps") {
            let endpoint = LayeredMap(try item.map(allowedKeys: ["path", "timeout"]))
            let hint = "each endpoint needs a path prefix and a timeout in seconds"
            let pathNode = try endpoint.required("path", hint: hint)
            let path = try pathNode.string()
            guard path.hasPrefix("/") else { throw pathNode.invalid("expected a path prefix starting with /") }
            guard !endpoints.contains(where: { $0.pathPrefix == path }) else {
                throw pathNode.invalid("another endpoint of this list has the same path; keep one")
            }
            let timeout = try endpoint.required("timeout", hint: hint).seconds(positive: true)
            endpoints.append(EndpointTimeout(pathPrefix: path, timeout: timeout))
        }
        return endpoints
    }

    private static func retryAttempts(_ node: ConfigNode) throws(ConfigError) -> Int {
        let attempts = try node.integer("a whole number of retries, 0 or more")
        guard attempts >= 0 else { throw node.invalid("expected a whole number of retries, 0 or more") }
        return attempts
    }

    /// Users write `httpVersion: 2` and `httpVersion: 1.1` unquoted, so YAML numbers count as written.
    private static func httpVersion(_ node: ConfigNode) throws(ConfigError) -> UpstreamHTTPVersion {
        guard let version = UpstreamHTTPVersion(rawValue: try node.string()) else {
            throw node.invalid("expected \"2\" or \"1.1\"")
        }
        return version
    }
}
