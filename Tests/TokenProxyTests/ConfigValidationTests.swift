// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

/// Each mistake fails with a message naming the file and the key path, and never a secret.
@Suite struct ConfigValidationTests {
    static let file = "/etc/token-proxy/config.yaml"
    static let secret = "s3cr3t-value"
    static let minimal = ConfigurationLoaderTests.minimal

    /// A route whose oauth2 auth block is valid; `extra` is appended to its auth map.
    static func oauthRoute(extra: String = "") -> String {
        """
        routes:
          - name: api
            upstream: https://api.example.com
            auth:
              type: oauth2ClientCredentials
              accessTokenURL: https://login.example.com/token
              clientID: id
              clientSecret: \(secret)
        \(extra)
        """
    }

    static func expectMentions(
        _ message: String,
        _ parts: String...,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(message.hasPrefix(file), "message: \(message)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(message.contains(part), "\(part) missing from: \(message)", sourceLocation: sourceLocation)
        }
        #expect(!message.contains(secret), "secret leaked: \(message)", sourceLocation: sourceLocation)
    }

    @Test func unknownKeysAreNamedWithASuggestion() {
        let top = configFailure("lisen: 127.0.0.1:80\n" + Self.minimal)
        Self.expectMentions(top, "unknown key lisen", "Did you mean listen?", "routes")
        let nested = configFailure(Self.oauthRoute(extra: "      clientSecert: \(Self.secret)"))
        Self.expectMentions(nested, "routes[0].auth.clientSecert", "Did you mean clientSecret?")
        let unrelated = configFailure(Self.minimal + "\n    colour: blue")
        Self.expectMentions(unrelated, "routes[0].colour", "Allowed here: name, hosts, upstream")
        #expect(!unrelated.contains("Did you mean"))
    }

    @Test func routeOnlyKeysAreRejectedAtTheTopLevel() {
        Self.expectMentions(
            configFailure("name: x\n" + Self.minimal), "name is not allowed here", "each entry of routes")
        Self.expectMentions(
            configFailure("hosts: [a.example.com]\n" + Self.minimal), "hosts is not allowed here", "default route")
    }

    @Test(arguments: [
        ("retryAttempts: [1]", "routes[0].retryAttempts has the wrong type"),
        ("retryAttempts: 1.5", "routes[0].retryAttempts has the wrong type"),
        ("retryAttempts: -1", "routes[0].retryAttempts is not valid"),
        ("connectionTimeout: soon", "routes[0].connectionTimeout has the wrong type: expected a number of seconds"),
        ("connectionTimeout: 0", "routes[0].connectionTimeout is not valid: expected a number of seconds above 0"),
        ("connectionTimeout: .inf", "routes[0].connectionTimeout has the wrong type"),
        ("retryDelay: -0.5", "routes[0].retryDelay is not valid: expected a number of seconds 0 or more"),
        (
            "retryDelay: 1e12",
            "routes[0].retryDelay is not valid: expected a number of seconds 0 or more, and at most 31536000"
        ),
        ("hosts: api.example.com", "routes[0].hosts has the wrong type: expected a list of hosts"),
        ("hosts: []", "routes[0].hosts is not valid: the list is empty"),
        (
            "hosts: [\"a.example.com:70000\"]",
            "routes[0].hosts[0] is not valid: the port must be a number from 1 to 65535"
        ),
        ("hosts: [\"::1\"]", "routes[0].hosts[0] is not valid: an IPv6 address must be written in brackets"),
        ("hosts: [\"a b\"]", "routes[0].hosts[0] is not valid: the host must be"),
        ("httpVersion: 3", "routes[0].httpVersion is not valid: expected \"2\" or \"1.1\""),
        ("httpVersion: 2.0", "routes[0].httpVersion is not valid"),
        (
            "endpoints: [{path: reports, timeout: 5}]",
            "routes[0].endpoints[0].path is not valid: expected a path prefix starting with /"
        ),
        ("endpoints: [{path: /r, timeout: 0}]", "routes[0].endpoints[0].timeout is not valid"),
        ("endpoints: [{path: /r}]", "routes[0].endpoints[0].timeout is required"),
        ("endpoints: [{path: /r, timeout: 1}, {path: /r, timeout: 2}]", "routes[0].endpoints[1].path is not valid"),
        ("endpoints: [{path: /r, timout: 1}]", "routes[0].endpoints[0].timout"),
        ("proxy: {type: custom, host: p.example.com}", "routes[0].proxy.port is required"),
        ("proxy: {type: custom, host: p.example.com, port: 0}", "routes[0].proxy.port is not valid"),
        ("proxy: {type: custom, host: \"http://p.example.com\", port: 3128}", "routes[0].proxy.host is not valid"),
        (
            "proxy: {type: custom, host: \"p.example.com:3128\", port: 3128}",
            "routes[0].proxy.host is not valid: it must be a host alone"
        ),
        (
            "proxy: {type: custom, host: p.example.com, port: 3128, password: s3cr3t-value}",
            "routes[0].proxy.password is not allowed here: routes[0].proxy.user is not set"
        ),
        (
            "proxy: {host: p.example.com}",
            "routes[0].proxy.host is not allowed here: it applies only with type custom, and the type in effect for routes[0].proxy is platform"
        ),
        ("proxy: {type: socks}", "routes[0].proxy.type is not valid: expected one of: none, custom, platform"),
        (
            "tls: {keyStorePassword: s3cr3t-value}",
            "routes[0].tls.keyStorePassword is not allowed here: routes[0].tls.keyStore is not set"
        ),
        ("tls: {keyAlias: k}", "routes[0].tls.keyAlias is not allowed here: routes[0].tls.keyStore is not set"),
        (
            "tls: {trustStorePassword: s3cr3t-value}",
            "routes[0].tls.trustStorePassword is not allowed here: routes[0].tls.trustStore is not set"
        ),
        ("tls: {trustStore: \"\"}", "routes[0].tls.trustStore is not valid: it is empty"),
        (
            "auth: {type: oauth2}",
            "routes[0].auth.type is not valid: expected one of: none, oauth2ClientCredentials, static"
        ),
        ("auth: {type: static}", "routes[0].auth.accessToken is required: auth type static needs it"),
        (
            "auth: {type: static, accessToken: \"s3cr3t-value\\r\\nX-Injected: 1\"}",
            "routes[0].auth.accessToken is not valid: it has characters a header cannot carry"
        ),
        (
            "auth: {type: static, accessToken: s3cr3t-value, clientID: x}",
            "routes[0].auth.clientID is not allowed here: it applies only with type oauth2ClientCredentials, and the type in effect for routes[0].auth is static"
        ),
        (
            "auth: {accessToken: s3cr3t-value}",
            "routes[0].auth.accessToken is not allowed here: it applies only with type static"
        ),
    ])
    func routeKeysAreValidated(line: String, expected: String) {
        let message = configFailure(Self.minimal + "\n    " + line)
        Self.expectMentions(message, expected)
    }

    @Test(arguments: [
        (
            "      accessToken: s3cr3t-value",
            "routes[0].auth.accessToken is not allowed here: it applies only with type static, and the type in effect for routes[0].auth is oauth2ClientCredentials"
        ),
        (
            "      clientAuthentication: basic",
            "routes[0].auth.clientAuthentication is not valid: expected one of body, header, privateKeyJWT, clientSecretJWT, tls, assertionFile"
        ),
        (
            "      accessTokenParameters: 'not json'",
            "routes[0].auth.accessTokenParameters is not valid: it is not a JSON list"
        ),
        (
            "      accessTokenParameters: '[{\"name\":\"a\",\"Value\":\"b\"}]'",
            "routes[0].auth.accessTokenParameters is not valid: entry 0 of the JSON list"
        ),
        (
            "      accessTokenParameters: [{name: a, Value: b}]",
            "routes[0].auth.accessTokenParameters[0].name. Did you mean Name?"
        ),
        ("      accessTokenParameters: [{Name: a}]", "routes[0].auth.accessTokenParameters[0].Value is required"),
        (
            "      accessTokenParameters: {Name: a, Value: b}",
            "routes[0].auth.accessTokenParameters has the wrong type: expected a list of {Name, Value} maps"
        ),
    ])
    func authKeysAreValidated(line: String, expected: String) {
        Self.expectMentions(configFailure(Self.oauthRoute(extra: line)), expected)
    }

    @Test func oauthRequiresItsKeys() {
        let yaml = """
            routes:
              - name: first
                hosts: [a.example.com]
                upstream: https://a.example.com
              - name: second
                upstream: https://b.example.com
                auth:
                  type: oauth2ClientCredentials
                  accessTokenURL: https://login.example.com/token
                  clientSecret: \(Self.secret)
            """
        Self.expectMentions(configFailure(yaml), "routes[1].auth.clientID is required", "oauth2ClientCredentials")
        let emptySecret = yaml.replacingOccurrences(of: Self.secret, with: "${env:EMPTY}")
        let withID = emptySecret.replacingOccurrences(of: "clientSecret", with: "clientID: x\n      clientSecret")
        Self.expectMentions(
            configFailure(withID, environment: ["EMPTY": ""]),
            "routes[1].auth.clientSecret is not valid: it is empty"
        )
        let badURL = Self.oauthRoute().replacingOccurrences(of: "https://login", with: "ftp://login")
        Self.expectMentions(
            configFailure(badURL),
            "routes[0].auth.accessTokenURL is not valid: expected an http:// or https:// URL"
        )
    }

    @Test func topLevelOAuthKeysNeedTheirType() {
        let message = configFailure("auth: {clientID: x}\n" + Self.minimal)
        Self.expectMentions(message, "auth.clientID is not allowed here", "the type in effect for auth is none")
        #expect(!message.contains("routes[0]"))
    }

    @Test(arguments: [
        ("", "upstream is required"),
        ("upstream: ftp://api.example.com", "routes[0].upstream is not valid: it must start with http:// or https://"),
        ("upstream: https://api.example.com/v1?x=1", "routes[0].upstream is not valid: it must not have a query"),
        (
            "upstream: https://user:s3cr3t-value@api.example.com",
            "routes[0].upstream is not valid: it must not hold a user or password"
        ),
        ("upstream: https://", "routes[0].upstream is not valid: it has no host"),
        ("upstream: \"https://api.example.com:0\"", "routes[0].upstream is not valid: the port must be"),
    ])
    func upstreamIsValidated(line: String, expected: String) {
        Self.expectMentions(configFailure("routes:\n  - name: api\n    \(line)"), expected)
    }

    @Test(arguments: [
        ("", "routes[0].name is required"),
        ("name: \"\"", "routes[0].name is not valid: it is empty"),
        ("name: my route", "routes[0].name is not valid: a route name may hold only letters"),
    ])
    func namesAreValidated(line: String, expected: String) {
        Self.expectMentions(configFailure("routes:\n  - upstream: https://a.example.com\n    \(line)"), expected)
    }

    @Test func routesMustNotOverlap() {
        let twice = """
            routes:
              - {name: a, hosts: [x.example.com], upstream: "https://a.example.com"}
              - {name: a, hosts: [y.example.com], upstream: "https://b.example.com"}
            """
        Self.expectMentions(configFailure(twice), "routes[1].name is not valid: routes[0] already has the name a")
        let sameHost = """
            routes:
              - {name: a, hosts: [x.example.com], upstream: "https://a.example.com"}
              - {name: b, hosts: [y.example.com, X.Example.com.], upstream: "https://b.example.com"}
            """
        Self.expectMentions(
            configFailure(sameHost),
            "routes[1].hosts[1] is not valid: x.example.com is served by one route only, and routes[0] (a) serves it too"
        )
        let twoDefaults = """
            routes:
              - {name: a, upstream: "https://a.example.com"}
              - {name: b, upstream: "https://b.example.com"}
            """
        Self.expectMentions(
            configFailure(twoDefaults), "routes[1].hosts is required: routes[0] (a) is already the default route")
    }

    @Test func topLevelShapeIsValidated() {
        Self.expectMentions(configFailure(""), "routes is required: the file is empty")
        Self.expectMentions(configFailure("listen: 127.0.0.1:80"), "routes is required")
        Self.expectMentions(configFailure("routes: []"), "routes is not valid: the list is empty")
        Self.expectMentions(configFailure("- a\n- b"), "the top level has the wrong type: expected a map")
        Self.expectMentions(
            configFailure("listen: 8080\n" + Self.minimal), "listen is not valid: it has no port; expected host:port")
        Self.expectMentions(
            configFailure("listen: \"::1:8080\"\n" + Self.minimal),
            "listen is not valid: an IPv6 address must be written in brackets")
        Self.expectMentions(
            configFailure("admin: 127.0.0.1:8080\n" + Self.minimal),
            "admin is not valid: it is the same address as listen")
    }

    @Test func yamlSyntaxErrorsGivePositionWithoutTheLine() {
        let message = configFailure(
            """
            routes:
              - name: api
                upstream: https://api.example.com
                auth: {type: static, accessToken: "s3cr3t-value
            """)
        #expect(message.hasPrefix("\(Self.file):4:"), "message: \(message)")
        #expect(message.contains("not valid YAML"))
        #expect(!message.contains(Self.secret))
    }

    @Test func duplicateKeysAreRejected() {
        let message = configFailure(
            """
            routes:
              - name: api
                upstream: https://api.example.com
                auth:
                  type: static
                  accessToken: s3cr3t-value
                  accessToken: s3cr3t-value
            """)
        Self.expectMentions(message, "\(Self.file):6:", "the key accessToken is written more than once")
    }
}
