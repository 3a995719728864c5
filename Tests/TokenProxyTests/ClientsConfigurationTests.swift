// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct ClientsConfigurationTests {
    private static let routes = ConfigurationLoaderTests.minimal

    @Test func clientsDefaultToLoopbackWithoutCredentials() throws {
        let config = try loadConfig(Self.routes)
        #expect(config.clients == ClientsSettings())
        #expect(config.clients.allowedNetworks.map(\.description) == ["127.0.0.0/8", "::1/128"])
        #expect(config.protectedModeWarning == nil)
    }

    @Test func allowListAndCredentialsAreRead() throws {
        let config = try loadConfig(
            """
            clients:
              allow: [10.0.0.0/8, "fd00::/8", 192.0.2.7]
              user: app
              password: ${file:/run/secrets/proxy-password}
            """ + "\n" + Self.routes, files: ["/run/secrets/proxy-password": "s3cret"])
        #expect(config.clients.allow?.map(\.description) == ["10.0.0.0/8", "fd00::/8", "192.0.2.7/32"])
        #expect(config.clients.credentials == ProxyCredentials(user: "app", password: Secret("s3cret")))
    }

    @Test func unixListenAndSocketModeAreRead() throws {
        let config = try loadConfig(
            "listen: unix:/run/token-proxy/proxy.sock\nclients: {socketMode: 0600}\n" + Self.routes)
        #expect(config.listen == .unixSocket(path: "/run/token-proxy/proxy.sock"))
        #expect(config.listen.description == "unix:/run/token-proxy/proxy.sock")
        #expect(config.clients.socketMode == 0o600)
        #expect(config.protectedModeWarning == nil)
        #expect(try loadConfig("listen: unix:/run/p.sock\n" + Self.routes).clients.socketMode == 0o660)
    }

    @Test func mistakesNameTheKey() {
        let file = "/etc/token-proxy/config.yaml"
        #expect(
            configFailure("clients: {allow: [10.0.0.300/8]}\n" + Self.routes)
                == "\(file): the value of clients.allow[0] is not valid: expected an IPv4 or IPv6 address with an "
                + "optional /prefix, such as 10.0.0.0/8 or fd00::/8.")
        #expect(
            configFailure("clients: {allow: 10.0.0.0/8}\n" + Self.routes).contains("clients.allow has the wrong type"))
        #expect(
            configFailure("clients: {user: app}\n" + Self.routes)
                == "\(file): clients.password is required: clients.user and clients.password go together.")
        #expect(configFailure("clients: {password: x}\n" + Self.routes).contains("clients.user is required"))
        #expect(configFailure("clients: {user: 'a:b', password: x}\n" + Self.routes).contains("cannot contain ':'"))
        #expect(
            configFailure("clients: {socketMode: 0660}\n" + Self.routes).contains(
                "clients.socketMode is not allowed here"))
        #expect(
            configFailure("listen: unix:/p.sock\nclients: {socketMode: 0980}\n" + Self.routes).contains(
                "expected octal permission bits"))
        #expect(configFailure("listen: unix:p.sock\n" + Self.routes).contains("a Unix socket path must be absolute"))
        let long = "/" + String(repeating: "x", count: 120)
        #expect(configFailure("listen: unix:\(long)\n" + Self.routes).contains("at most 107 bytes"))
        #expect(configFailure("clients: {alow: []}\n" + Self.routes).contains("Did you mean allow?"))
    }

    @Test func anEmptyPasswordIsRejected() {
        let failure = configFailure("clients: {user: app, password: ''}\n" + Self.routes)
        #expect(failure.contains("clients.password is not valid: it is empty"))
    }

    @Test func protectedModeWarnsAboutAnExposedListenerWithoutAllowList() throws {
        let exposed = try loadConfig("listen: 0.0.0.0:8080\n" + Self.routes)
        let warning = try #require(exposed.protectedModeWarning)
        #expect(warning.contains("listen 0.0.0.0:8080 is not a loopback address"))
        #expect(warning.contains("only loopback peers"))
        #expect(warning.contains("clients.allow"))
        #expect(try loadConfig("listen: \"[::]:8080\"\n" + Self.routes).protectedModeWarning != nil)
        #expect(try loadConfig("listen: token-proxy.internal:8080\n" + Self.routes).protectedModeWarning != nil)
        let allowed = try loadConfig("listen: 0.0.0.0:8080\nclients: {allow: [10.0.0.0/8]}\n" + Self.routes)
        #expect(allowed.protectedModeWarning == nil)
        for local in ["127.0.0.1:8080", "127.0.0.2:8080", "localhost:8080", "\"[::1]:8080\""] {
            #expect(try loadConfig("listen: \(local)\n" + Self.routes).protectedModeWarning == nil, "\(local)")
        }
    }

    @Test func checkPrintsTheProtectedModeWarning() throws {
        let lines = try ConfigurationCheck.run(configuration: try loadConfig("listen: 0.0.0.0:8080\n" + Self.routes))
        #expect(lines.first?.hasPrefix("warning: protected mode: listen 0.0.0.0:8080") == true)
    }
}
