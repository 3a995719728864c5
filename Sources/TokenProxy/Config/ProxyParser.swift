// SPDX-License-Identifier: Apache-2.0

/// `proxy.type`, and the keys that apply to each.
enum ProxyKind: String, SectionKind {
    case none
    case custom
    case platform

    var keys: [String] {
        self == .custom ? ["host", "port", "user", "password"] : []
    }
}

/// Reads a route's `proxy` section, merged per key with the top-level `proxy`.
enum ProxyParser {
    static func parse(_ route: LayeredMap) throws(ConfigError) -> ProxySettings {
        let (kind, proxy) = try route.nested("proxy", allowedKeys: ProxyKind.allowedKeys)
            .resolvingKind(default: ProxyKind.platform)
        switch kind {
        case .none: return .none
        case .platform: return .platform
        case .custom: break
        }
        let hint = "proxy type custom needs it; set it in the route or in the top-level proxy"
        let hostNode = try proxy.required("host", hint: hint)
        let host = try hostNode.address(parseHostName, expected: "the proxy's host alone, with its port in proxy.port")
        let portNode = try proxy.required("port", hint: hint)
        let port = try portNode.integer("a port number")
        guard (1...65535).contains(port) else { throw portNode.invalid("the port must be a number from 1 to 65535") }
        let user = try proxy["user"]?.string()
        if user == nil, let password = proxy["password"] {
            throw .misplacedKey(
                file: password.document.file,
                key: password.path.description,
                reason: "\(proxy.path.appending("user")) is not set; a proxy password needs a user"
            )
        }
        return .custom(CustomProxy(host: host, port: port, user: user, password: try proxy["password"]?.secret()))
    }
}
