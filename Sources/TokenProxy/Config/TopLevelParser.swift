// SPDX-License-Identifier: Apache-2.0

/// Reads the top level of the configuration (`listen`, `admin`, `routes` and
/// the route defaults) and checks what spans routes: unique names, at most
/// one default route, no host pattern served twice.
enum TopLevelParser {
    static func parse(_ root: ConfigNode) throws(ConfigError) -> ProxyConfiguration {
        try rejectOwnKeys(in: root)
        let top = try root.map(allowedKeys: processKeys + RouteParser.defaultableKeys)
        let listenForm = "host:port, such as 127.0.0.1:8080 or [::1]:8080"
        let listen =
            try top["listen"]?.address(
                ListenAddress.init(parsing:), expected: listenForm + ", or unix:/run/token-proxy/proxy.sock")
            ?? ProxyConfiguration.defaultListen
        let admin = try top["admin"]?.address(HostPort.init(parsing:), expected: listenForm)
        if let admin, .tcp(admin) == listen, let node = top["admin"] {
            throw node.invalid("it is the same address as listen; the admin listener needs its own port")
        }
        guard let routesNode = top["routes"] else {
            throw .missingKey(file: root.document.file, key: "routes", hint: "list at least one route")
        }
        let items = try routesNode.list("a list of routes")
        guard !items.isEmpty else { throw routesNode.invalid("the list is empty; list at least one route") }
        var routes: [RouteConfiguration] = []
        var owners: [HostPattern: Int] = [:]
        for (index, item) in items.enumerated() {
            let own = try item.map(allowedKeys: RouteParser.keys)
            let route = try RouteParser.parse(LayeredMap(path: item.path, document: item.document, layers: [own, top]))
            try checkName(of: route, at: item, against: routes)
            try checkHosts(of: route, at: item, index: index, owners: &owners, routes: routes)
            routes.append(route)
        }
        var configuration = ProxyConfiguration(listen: listen, admin: admin, routes: routes)
        if let node = top["logFormat"] { configuration.logging.format = try choice(node, LoggingSettings.Format.self) }
        if let node = top["logLevel"] { configuration.logging.level = try choice(node, LoggingSettings.Level.self) }
        if let node = top["drainTimeout"] { configuration.drainTimeout = try node.seconds(positive: false) }
        if let node = top["limits"] { configuration.limits = try LimitsParser.parse(node) }
        if let node = top["clients"] { configuration.clients = try ClientsParser.parse(node, listen: listen) }
        if let node = top["intercept"] { configuration.intercept = try InterceptParser.parse(node) }
        return configuration
    }

    /// Keys of the process as a whole, which only the top level may set.
    private static let processKeys = [
        "listen", "admin", "routes", "logFormat", "logLevel", "drainTimeout", "limits", "clients", "intercept",
    ]

    private static func choice<Choice: RawRepresentable & CaseIterable>(
        _ node: ConfigNode, _ type: Choice.Type
    ) throws(ConfigError) -> Choice where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        let value = try node.string()
        guard let choice = Choice(rawValue: value) else {
            throw node.invalid("it must be one of \(allowed.joined(separator: ", "))")
        }
        return choice
    }

    /// `name` and `hosts` describe one route, so at the top level they are
    /// explained rather than reported as unknown.
    private static func rejectOwnKeys(in root: ConfigNode) throws(ConfigError) {
        guard case .mapping(let mapping) = root.node else { return }
        let reasons: KeyValuePairs = [
            "name": "it names one route; set it in each entry of routes",
            "hosts": "it picks the requests of one route; set it in the routes that need it "
                + "(the route without hosts is the default route)",
        ]
        for (key, reason) in reasons where mapping[key] != nil {
            throw .misplacedKey(file: root.document.file, key: key, reason: reason)
        }
    }

    private static func checkName(
        of route: RouteConfiguration,
        at item: ConfigNode,
        against routes: [RouteConfiguration]
    ) throws(ConfigError) {
        guard let other = routes.firstIndex(where: { $0.name == route.name }) else { return }
        throw .invalidValue(
            file: item.document.file,
            key: item.path.appending("name").description,
            problem: "routes[\(other)] already has the name \(route.name); route names must be unique"
        )
    }

    /// `owners` maps each host pattern seen so far to the index of its route.
    private static func checkHosts(
        of route: RouteConfiguration,
        at item: ConfigNode,
        index: Int,
        owners: inout [HostPattern: Int],
        routes: [RouteConfiguration]
    ) throws(ConfigError) {
        let file = item.document.file
        if route.hosts.isEmpty, let other = routes.firstIndex(where: { $0.hosts.isEmpty }) {
            throw .missingKey(
                file: file,
                key: item.path.appending("hosts").description,
                hint: "routes[\(other)] (\(routes[other].name)) is already the default route, "
                    + "and only one route may leave hosts out"
            )
        }
        for (position, pattern) in route.hosts.enumerated() {
            if let other = owners[pattern] {
                let owner =
                    other == index
                    ? "this route lists it twice"
                    : "routes[\(other)] (\(routes[other].name)) serves it too"
                throw .invalidValue(
                    file: file,
                    key: item.path.appending("hosts").appending(index: position).description,
                    problem: "\(pattern) is served by one route only, and \(owner)"
                )
            }
            owners[pattern] = index
        }
    }
}
