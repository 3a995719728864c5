// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// Loads `yaml` as if it were /etc/token-proxy/config.yaml; `files` serves `${file:}` targets by absolute path.
func loadConfig(
    _ yaml: String,
    environment: [String: String] = [:],
    files: [String: String] = [:]
) throws(ConfigError) -> ProxyConfiguration {
    try ConfigurationLoader.parse(
        yaml: yaml,
        source: "/etc/token-proxy/config.yaml",
        environment: environment,
        readFile: { path in
            guard let content = files[path] else { throw UnreadableFile("no such file") }
            return content
        }
    )
}

/// The description of the error loading `yaml` fails with; records an issue when it loads.
func configFailure(
    _ yaml: String,
    environment: [String: String] = [:],
    files: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    do {
        _ = try loadConfig(yaml, environment: environment, files: files)
        Issue.record("the configuration loaded, but an error was expected", sourceLocation: sourceLocation)
        return ""
    } catch {
        return error.description
    }
}

@Suite struct ConfigurationLoaderTests {
    static let minimal = """
        routes:
          - name: api
            upstream: https://api.example.com
        """

    @Test func minimalConfigurationTakesTheContractDefaults() throws {
        let config = try loadConfig(Self.minimal)
        #expect(config.listen == .tcp(HostPort(host: "127.0.0.1", port: 8080)))
        #expect(config.admin == nil)
        let route = try #require(config.routes.first)
        #expect(route.name == "api")
        #expect(route.hosts.isEmpty)
        #expect(route.upstream == UpstreamURL(scheme: .https, host: "api.example.com"))
        #expect(route.auth == .none)
        #expect(route.tls == TLSConfiguration())
        #expect(route.proxy == .platform)
        #expect(route.connectionTimeout == .seconds(60))
        #expect(route.endpoints.isEmpty)
        #expect(route.retryAttempts == 0)
        #expect(route.retryDelay == .zero)
        #expect(route.httpVersion == .http2)
    }

    @Test func fullExampleLoadsWithEveryKey() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let secrets = [
            "truststore-password": "trust-pass\n",
            "legacy-token": "legacy-token-value\r\n",
        ]
        let config = try ConfigurationLoader.load(
            path: fixtures.appendingPathComponent("full-config.yaml").path,
            environment: [
                "TOKEN_PROXY_CLIENT_SECRET": "client-secret",
                "TOKEN_PROXY_KEYSTORE_PASSWORD": "store-pass",
                "TOKEN_PROXY_KEY_PASSWORD": "key-pass",
                "TOKEN_PROXY_PROXY_PASSWORD": "proxy-pass",
            ],
            readFile: { path in
                if let name = path.split(separator: "/").last, let secret = secrets[String(name)] { return secret }
                return try ConfigurationLoader.readFromDisk(path)
            }
        )
        let dir = fixtures.path
        #expect(config.listen == .tcp(HostPort(host: "127.0.0.1", port: 8080)))
        #expect(config.admin == HostPort(host: "127.0.0.1", port: 9090))
        #expect(config.routes.map(\.name) == ["api", "partner", "legacy", "fallback"])

        let api = config.routes[0]
        let sharedAuth = ClientCredentials(
            accessTokenURL: "https://login.example.com/oauth2/token",
            clientID: "token-proxy",
            clientSecret: Secret("client-secret"),
            scope: "api.read api.write",
            accessTokenParameters: [TokenParameter(name: "resource", value: "https://api.example.com")]
        )
        #expect(api.hosts == [HostPattern(host: "api.example.com")])
        #expect(api.upstream == UpstreamURL(scheme: .https, host: "api.example.com", basePath: "/v1"))
        #expect(api.auth == .clientCredentials(sharedAuth))
        #expect(
            api.tls
                == TLSConfiguration(
                    trustStore: "\(dir)/stores/truststore.p12", trustStorePassword: Secret("trust-pass")))
        #expect(api.connectionTimeout == .seconds(30))
        #expect(
            api.endpoints == [
                EndpointTimeout(pathPrefix: "/reports", timeout: .seconds(120)),
                EndpointTimeout(pathPrefix: "/health", timeout: .seconds(2)),
            ])
        #expect(api.retryAttempts == 2)
        #expect(api.retryDelay == .milliseconds(500))
        #expect(api.httpVersion == .http2)

        let partner = config.routes[1]
        var partnerAuth = sharedAuth
        partnerAuth.scope = "partner.read"
        partnerAuth.clientAuthentication = .header
        #expect(
            partner.hosts == [
                HostPattern(host: "partner.example.com", port: 8443), HostPattern(host: "fd00::10", port: 8443),
            ])
        #expect(partner.upstream == UpstreamURL(scheme: .https, host: "partner.example.com", port: 8443))
        #expect(partner.auth == .clientCredentials(partnerAuth))
        #expect(
            partner.tls
                == TLSConfiguration(
                    trustStore: "\(dir)/stores/truststore.p12",
                    trustStorePassword: Secret("trust-pass"),
                    keyStore: "\(dir)/stores/client.jks",
                    keyStorePassword: Secret("store-pass"),
                    keyAlias: "token-proxy",
                    keyPassword: Secret("key-pass")
                ))
        #expect(
            partner.proxy
                == .custom(
                    CustomProxy(
                        host: "proxy.corp.example.com", port: 3128, user: "svc-token-proxy",
                        password: Secret("proxy-pass")
                    )))
        #expect(partner.httpVersion == .http1_1)

        let legacy = config.routes[2]
        #expect(legacy.auth == .staticToken(Secret("legacy-token-value")))
        #expect(legacy.proxy == .none)
        #expect(legacy.retryAttempts == 0)
        #expect(legacy.upstream == UpstreamURL(scheme: .http, host: "legacy.internal", port: 8081))

        let fallback = config.routes[3]
        #expect(fallback.hosts.isEmpty)
        #expect(fallback.auth == .none)
        #expect(fallback.proxy == .platform)
        #expect(fallback.retryAttempts == 2)
    }

    @Test func topLevelDefaultsAreInheritedAndOverriddenPerKey() throws {
        let config = try loadConfig(
            """
            connectionTimeout: 20
            retryAttempts: 3
            auth:
              type: oauth2ClientCredentials
              accessTokenURL: https://login.example.com/token
              clientID: shared
              clientSecret: shared-secret
              scope: read
            tls:
              trustStore: /etc/ca.pem
            proxy:
              type: custom
              host: proxy.example.com
              port: 3128
            routes:
              - name: inherits
                hosts: [a.example.com]
                upstream: https://a.example.com
              - name: overrides
                hosts: [b.example.com]
                upstream: https://b.example.com
                connectionTimeout: 5
                auth:
                  scope: write
                tls:
                  keyStore: /etc/client.p12
                proxy:
                  port: 8080
              - name: switches
                upstream: https://c.example.com
                auth:
                  type: static
                  accessToken: fixed
                proxy:
                  type: none
            """)
        let shared = ClientCredentials(
            accessTokenURL: "https://login.example.com/token",
            clientID: "shared",
            clientSecret: Secret("shared-secret"),
            scope: "read"
        )
        let (inherits, overrides, switches) = (config.routes[0], config.routes[1], config.routes[2])
        #expect(inherits.connectionTimeout == .seconds(20))
        #expect(inherits.retryAttempts == 3)
        #expect(inherits.auth == .clientCredentials(shared))
        #expect(inherits.tls == TLSConfiguration(trustStore: "/etc/ca.pem"))
        #expect(inherits.proxy == .custom(CustomProxy(host: "proxy.example.com", port: 3128)))

        var rescoped = shared
        rescoped.scope = "write"
        #expect(overrides.connectionTimeout == .seconds(5))
        #expect(overrides.retryAttempts == 3)
        #expect(overrides.auth == .clientCredentials(rescoped))
        #expect(overrides.tls == TLSConfiguration(trustStore: "/etc/ca.pem", keyStore: "/etc/client.p12"))
        #expect(overrides.proxy == .custom(CustomProxy(host: "proxy.example.com", port: 8080)))

        #expect(switches.auth == .staticToken(Secret("fixed")))
        #expect(switches.proxy == .none)
    }

    @Test func jsonIsAcceptedToo() throws {
        let config = try loadConfig(
            """
            {"listen": "[::1]:8081", "admin": "127.0.0.1:9091", "retryDelay": 1.5,
             "routes": [{"name": "api", "hosts": ["api.example.com:443"], "upstream": "https://api.example.com/",
                         "httpVersion": 1.1, "retryAttempts": 1,
                         "auth": {"type": "static", "accessToken": "t"}}]}
            """)
        #expect(config.listen == .tcp(HostPort(host: "::1", port: 8081)))
        #expect(config.admin == HostPort(host: "127.0.0.1", port: 9091))
        let route = try #require(config.routes.first)
        #expect(route.hosts == [HostPattern(host: "api.example.com", port: 443)])
        #expect(route.upstream.basePath == "")
        #expect(route.httpVersion == .http1_1)
        #expect(route.retryAttempts == 1)
        #expect(route.retryDelay == .milliseconds(1500))
        #expect(route.auth == .staticToken(Secret("t")))
    }

    @Test(arguments: [("2", UpstreamHTTPVersion.http2), ("\"2\"", .http2), ("1.1", .http1_1), ("'1.1'", .http1_1)])
    func httpVersionAcceptsNumbersAndStrings(written: String, expected: UpstreamHTTPVersion) throws {
        let config = try loadConfig("httpVersion: \(written)\n" + Self.minimal)
        #expect(config.routes[0].httpVersion == expected)
    }

    @Test func accessTokenParametersAcceptTheJSONStringForm() throws {
        let config = try loadConfig(
            """
            routes:
              - name: api
                upstream: https://api.example.com
                auth:
                  type: oauth2ClientCredentials
                  accessTokenURL: https://login.example.com/token
                  clientID: id
                  clientSecret: secret
                  accessTokenParameters: '[{"Name":"resource","Value":"https://x"},{"Name":"audience","Value":""}]'
            """)
        guard case .clientCredentials(let credentials) = config.routes[0].auth else {
            Issue.record("expected client credentials")
            return
        }
        #expect(
            credentials.accessTokenParameters == [
                TokenParameter(name: "resource", value: "https://x"),
                TokenParameter(name: "audience", value: ""),
            ])
        #expect(credentials.clientAuthentication == .body)
        #expect(credentials.scope == nil)
    }

    @Test func hostsAndUpstreamAreNormalised() throws {
        let config = try loadConfig(
            """
            routes:
              - name: api
                hosts: [API.Example.COM., "Api.Example.com:8443", "[FD00::1]"]
                upstream: HTTPS://API.example.com:8443/Base/Path//
            """)
        let route = config.routes[0]
        #expect(
            route.hosts == [
                HostPattern(host: "api.example.com"),
                HostPattern(host: "api.example.com", port: 8443),
                HostPattern(host: "fd00::1"),
            ])
        #expect(
            route.upstream == UpstreamURL(scheme: .https, host: "api.example.com", port: 8443, basePath: "/Base/Path"))
    }

    @Test func scalarsReadAsWrittenAndNumbersMayComeFromStrings() throws {
        let config = try loadConfig(
            """
            routes:
              - name: api
                upstream: https://api.example.com
                connectionTimeout: "2.5"
                auth: {type: oauth2ClientCredentials, accessTokenURL: "https://l.example.com/t", clientID: 0123, clientSecret: yes}
                proxy: {type: custom, host: "::1", port: "${env:PROXY_PORT}"}
            """, environment: ["PROXY_PORT": "3128"])
        let route = config.routes[0]
        #expect(route.connectionTimeout == .milliseconds(2500))
        guard case .clientCredentials(let credentials) = route.auth else {
            Issue.record("expected client credentials")
            return
        }
        #expect(credentials.clientID == "0123")
        #expect(credentials.clientSecret == Secret("yes"))
        #expect(route.proxy == .custom(CustomProxy(host: "::1", port: 3128)))
    }

    @Test func relativeStorePathsFollowTheConfigurationFile() throws {
        let config = try loadConfig(
            """
            tls: {trustStore: certs/ca.pem, keyStore: /abs/client.p12}
            \(Self.minimal)
            """)
        #expect(config.routes[0].tls.trustStore == "/etc/token-proxy/certs/ca.pem")
        #expect(config.routes[0].tls.keyStore == "/abs/client.p12")
    }

    @Test func defaultPathPrefersTheEnvironment() {
        #expect(ConfigurationLoader.defaultPath(environment: ["TOKEN_PROXY_CONFIG": "/srv/tp.yaml"]) == "/srv/tp.yaml")
        #expect(ConfigurationLoader.defaultPath(environment: ["TOKEN_PROXY_CONFIG": ""]) == "config/token-proxy.yaml")
        #expect(ConfigurationLoader.defaultPath(environment: [:]) == "config/token-proxy.yaml")
    }

    @Test func missingFileIsNamed() {
        let path = "/nonexistent-\(UUID().uuidString)/config.yaml"
        #expect(throws: ConfigError.unreadableConfiguration(file: path, reason: "no such file")) {
            try ConfigurationLoader.load(path: path, environment: [:])
        }
    }

    @Test func loadsFromDiskWithASecretFileBesideIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "from-file\n".write(to: dir.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let configPath = dir.appendingPathComponent("config.yaml").path
        try """
        routes:
          - name: api
            upstream: https://api.example.com
            auth: {type: static, accessToken: "${file:token}"}
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let config = try ConfigurationLoader.load(path: configPath, environment: [:])
        #expect(config.routes[0].auth == .staticToken(Secret("from-file")))
    }
}
