// SPDX-License-Identifier: Apache-2.0

/// `auth.clientAuthentication` and the keys each method reads.
extension AuthParser {
    /// The keys of one method; a key of another method beside it is a mistake worth reporting.
    static func keys(of method: ClientCredentials.ClientAuthentication) -> [String] {
        switch method {
        case .body, .header: ["clientSecret"]
        case .clientSecretJWT: ["clientSecret", "assertionAudience"]
        case .privateKeyJWT:
            [
                "signingKeyStore", "signingKeyStorePassword", "signingKeyAlias", "signingKeyPassword",
                "signingAlgorithm", "signingKeyID", "assertionAudience",
            ]
        case .tls: []
        case .assertionFile: ["clientAssertionFile"]
        }
    }

    /// Every method's keys, each once, in the order the methods are declared.
    static let clientAuthenticationKeys = ClientCredentials.ClientAuthentication.allCases.flatMap(keys(of:))
        .reduce(into: [String]()) { keys, key in if !keys.contains(key) { keys.append(key) } }

    /// Reads the method and its keys into `credentials`.
    static func parseClientAuthentication(
        _ auth: LayeredMap, route: LayeredMap, into credentials: inout ClientCredentials
    ) throws(ConfigError) {
        let methodNode = auth["clientAuthentication"]
        let method =
            try methodNode.map { node throws(ConfigError) in
                guard let value = ClientCredentials.ClientAuthentication(rawValue: try node.string()) else {
                    let names = ClientCredentials.ClientAuthentication.allCases.map(\.rawValue)
                    throw node.invalid("expected one of \(names.joined(separator: ", "))")
                }
                return value
            } ?? .body
        credentials.clientAuthentication = method
        let own = keys(of: method)
        for key in Set(clientAuthenticationKeys).subtracting(own).sorted() {
            guard let node = auth[key] else { continue }
            let owners = ClientCredentials.ClientAuthentication.allCases.filter { keys(of: $0).contains(key) }
            throw .misplacedKey(
                file: node.document.file, key: node.path.description,
                reason:
                    "it applies only with clientAuthentication \(owners.map(\.rawValue).joined(separator: " or ")), "
                    + "and this route's is \(method.rawValue)")
        }
        let hint = "clientAuthentication \(method.rawValue) needs it; set it in the route or in the top-level auth"
        if method.usesClientSecret {
            credentials.clientSecret = Secret(
                try auth.required("clientSecret", hint: hint).nonEmptyString("the client secret"))
        }
        credentials.assertionAudience = try auth["assertionAudience"]?.nonEmptyString("the audience of the assertion")
        switch method {
        case .privateKeyJWT:
            credentials.signingKey = try signingKey(auth, hint: hint)
        case .tls:
            if credentials.accessTokenURL.lowercased().hasPrefix("http://"), let node = methodNode {
                throw node.invalid(
                    "clientAuthentication tls presents a client certificate, which needs an https:// accessTokenURL")
            }
            guard try route.nested("tls", allowedKeys: TLSParser.keys)["keyStore"] != nil else {
                throw .missingKey(
                    file: auth.document.file, key: route.path.appending("tls").appending("keyStore").description,
                    hint: "clientAuthentication tls presents the route's client certificate to the token endpoint")
            }
        case .assertionFile:
            credentials.clientAssertionFile = try auth.required("clientAssertionFile", hint: hint).filePath()
        case .body, .header, .clientSecretJWT:
            break
        }
    }

    private static func signingKey(_ auth: LayeredMap, hint: String) throws(ConfigError) -> SigningKeyConfiguration {
        let algorithm = try auth["signingAlgorithm"].map { node throws(ConfigError) in
            let names = JWSAlgorithm.allCases.filter { $0 != .hs256 }.map(\.rawValue)
            guard let value = JWSAlgorithm(rawValue: try node.string()), value != .hs256 else {
                throw node.invalid("expected one of \(names.joined(separator: ", "))")
            }
            return value
        }
        return SigningKeyConfiguration(
            keyStore: try auth.required("signingKeyStore", hint: hint).filePath(),
            keyStorePassword: try auth["signingKeyStorePassword"]?.secret(),
            keyAlias: try auth["signingKeyAlias"]?.nonEmptyString("the alias of a key in the signing key store"),
            keyPassword: try auth["signingKeyPassword"]?.secret(),
            algorithm: algorithm,
            keyID: try auth["signingKeyID"]?.nonEmptyString("the key ID (kid) of the signing key")
        )
    }
}
