// SPDX-License-Identifier: Apache-2.0

/// Reads `clients`: the allowed networks, the proxy credentials and the socket mode.
enum ClientsParser {
    static let keys = ["allow", "user", "password", "socketMode"]

    static func parse(_ node: ConfigNode, listen: ListenAddress) throws(ConfigError) -> ClientsSettings {
        let map = try node.map(allowedKeys: keys)
        var clients = ClientsSettings()
        if let allowNode = map["allow"] {
            clients.allow = try allowNode.list("a list of networks, such as [10.0.0.0/8, fd00::/8]").map {
                item throws(ConfigError) in
                let text = try item.string()
                do throws(IPNetwork.ParseError) {
                    return try IPNetwork(parsing: text)
                } catch {
                    throw item.invalid(error.description)
                }
            }
        }
        clients.credentials = try credentials(in: map)
        if let modeNode = map["socketMode"] {
            guard case .unixSocket = listen else {
                throw .misplacedKey(
                    file: modeNode.document.file, key: modeNode.path.description,
                    reason: "it sets the permissions of a Unix socket, and listen is not unix:/path")
            }
            clients.socketMode = try socketMode(modeNode)
        }
        return clients
    }

    /// `user` and `password`, both or neither.
    private static func credentials(in map: ConfigMap) throws(ConfigError) -> ProxyCredentials? {
        switch (map["user"], map["password"]) {
        case (nil, nil):
            return nil
        case (let userNode?, let passwordNode?):
            let user = try userNode.nonEmptyString("the user name client apps send")
            guard !user.contains(":") else { throw userNode.invalid("a Basic user name cannot contain ':'") }
            let password = try passwordNode.secret()
            guard !password.isEmpty else { throw passwordNode.invalid("it is empty; expected the password") }
            return ProxyCredentials(user: user, password: password)
        case (let written?, nil), (nil, let written?):
            let missing = written.path.description.hasSuffix("user") ? "password" : "user"
            throw .missingKey(
                file: written.document.file, key: map.path.appending(missing).description,
                hint: "clients.user and clients.password go together")
        }
    }

    /// Octal permission bits as written (`0660`, `660` or `0o660`), read as text so that YAML
    /// does not take `0660` for the decimal 660.
    private static func socketMode(_ node: ConfigNode) throws(ConfigError) -> Int {
        var digits = try node.string()
        if digits.hasPrefix("0o") { digits.removeFirst(2) }
        guard !digits.isEmpty, digits.allSatisfy({ ("0"..."7").contains($0) }), let mode = Int(digits, radix: 8),
            mode <= 0o777
        else { throw node.invalid("expected octal permission bits, such as 0660 or 0600") }
        return mode
    }
}
