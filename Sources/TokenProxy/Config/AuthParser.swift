// SPDX-License-Identifier: Apache-2.0

import Foundation

/// `auth.type`, and the keys that apply to each.
enum AuthKind: String, SectionKind {
    case none
    case oauth2ClientCredentials
    case staticToken = "static"

    var keys: [String] {
        switch self {
        case .none: []
        case .oauth2ClientCredentials:
            ["accessTokenURL", "clientID", "clientSecret", "scope", "accessTokenParameters", "clientAuthentication"]
                + AuthParser.clientAuthenticationKeys.filter { $0 != "clientSecret" }
        case .staticToken: ["accessToken"]
        }
    }
}

/// Reads a route's `auth` section, merged per key with the top-level `auth`.
enum AuthParser {
    static func parse(_ route: LayeredMap) throws(ConfigError) -> AuthConfiguration {
        let (kind, auth) = try route.nested("auth", allowedKeys: AuthKind.allowedKeys)
            .resolvingKind(default: AuthKind.none)
        let hint = "auth type \(kind.rawValue) needs it; set it in the route or in the top-level auth"
        switch kind {
        case .none:
            return .none
        case .staticToken:
            let node = try auth.required("accessToken", hint: hint)
            let token = try node.nonEmptyString("the token to inject")
            // It goes into a header line as is: a line break or control character would end or split that line.
            guard token.utf8.allSatisfy(HTTPByte.isVisible) else {
                throw node.invalid("it has characters a header cannot carry (spaces, line breaks or non-ASCII)")
            }
            return .staticToken(Secret(token))
        case .oauth2ClientCredentials:
            var credentials = ClientCredentials(
                accessTokenURL: try tokenURL(auth.required("accessTokenURL", hint: hint)),
                clientID: try auth.required("clientID", hint: hint).nonEmptyString("the client ID"),
                clientSecret: nil,
                scope: try auth["scope"]?.string(),
                accessTokenParameters: try auth["accessTokenParameters"].map(tokenParameters) ?? []
            )
            try parseClientAuthentication(auth, route: route, into: &credentials)
            return .clientCredentials(credentials)
        }
    }

    private static func tokenURL(_ node: ConfigNode) throws(ConfigError) -> String {
        let text = try node.string()
        guard let url = URLComponents(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false
        else {
            throw node.invalid("expected an http:// or https:// URL of the token endpoint")
        }
        guard url.user == nil, url.password == nil else {
            throw node.invalid("the URL must not hold a user or password; set clientID and clientSecret instead")
        }
        return text
    }

    /// `accessTokenParameters`: a YAML list of `{Name, Value}` maps, or the same list as a JSON string.
    private static func tokenParameters(_ node: ConfigNode) throws(ConfigError) -> [TokenParameter] {
        if case .scalar = node.node { return try jsonTokenParameters(node) }
        var parameters: [TokenParameter] = []
        for item in try node.list("a list of {Name, Value} maps, or the same as a JSON string") {
            let entry = LayeredMap(try item.map(allowedKeys: ["Name", "Value"]))
            let hint = "each entry of accessTokenParameters needs Name and Value"
            parameters.append(
                TokenParameter(
                    name: try entry.required("Name", hint: hint).nonEmptyString("a form field name"),
                    value: try entry.required("Value", hint: hint).string()
                ))
        }
        return parameters
    }

    private static func jsonTokenParameters(_ node: ConfigNode) throws(ConfigError) -> [TokenParameter] {
        let expected = #"a JSON list such as [{"Name":"resource","Value":"https://x"}]"#
        let text = try node.string()
        guard let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
            throw node.invalid("it is not \(expected)")
        }
        var parameters: [TokenParameter] = []
        for (index, element) in list.enumerated() {
            guard let entry = element as? [String: Any], Set(entry.keys) == ["Name", "Value"],
                let name = entry["Name"] as? String, !name.isEmpty,
                let value = entry["Value"] as? String
            else {
                throw node.invalid(
                    "entry \(index) of the JSON list must have exactly the string keys Name (not empty) and Value"
                )
            }
            parameters.append(TokenParameter(name: name, value: value))
        }
        return parameters
    }
}
