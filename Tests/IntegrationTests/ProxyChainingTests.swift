// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `proxy.type` on the wire, with squid as the chained proxy: what passes
/// through it (squid's access log), what must not, and refusals.
@Suite("Proxy chaining")
struct ProxyChainingTests {
    private static let credentials = SquidProxy.Credentials(user: "token-proxy", password: "pr0xy: p@ss")

    /// Route keys for `proxy.type: custom` pointing at `port`; the password comes from `$PROXY_PASSWORD`.
    private static func customProxy(port: Int, user: String = credentials.user) -> String {
        #"proxy: {type: custom, host: 127.0.0.1, port: \#(port), user: \#(user), password: "${env:PROXY_PASSWORD}"}"#
    }

    /// An environment whose proxy variables are exactly `variables`, whatever the test runner's own say.
    private static func proxyEnvironment(_ variables: [String: String]) -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"] {
            environment[name] = ""
            environment[name.lowercased()] = ""
        }
        return environment.merging(variables) { $1 }
    }

    @Test(arguments: RouteUpstream.Scheme.allCases)
    func customProxyWithBasicAuthenticationCarriesTheRequest(scheme: RouteUpstream.Scheme) async throws {
        let squid = try await SquidProxy(credentials: Self.credentials)
        let upstream = try await RouteUpstream(scheme)
        let proxy = try await SingleRouteProxy(
            upstream: upstream.url,
            keys: "auth: {type: none}\n\(upstream.tlsKeys)\n\(Self.customProxy(port: squid.port))",
            environment: ["PROXY_PASSWORD": Self.credentials.password])

        let response = try await proxy.send("/through-squid")
        proxy.process.process.stop()  // squid logs a CONNECT tunnel when it closes

        #expect(response.status == 200)
        #expect(try EchoReport(response: response).path == "/through-squid")
        let (method, url) = upstream.proxied("/through-squid")
        let log = try await squid.settledAccessLog()
        #expect(log == [SquidAccessLogEntry(method: method, url: url, user: Self.credentials.user, status: 200)])
        #expect(!proxy.output.contains(Self.credentials.password))
    }

    @Test(arguments: RouteUpstream.Scheme.allCases)
    func wrongProxyPasswordIs502SayingTheProxyRefused(scheme: RouteUpstream.Scheme) async throws {
        let squid = try await SquidProxy(credentials: Self.credentials)
        let upstream = try await RouteUpstream(scheme)
        let wrongPassword = "not-the-proxy-password"
        let proxy = try await SingleRouteProxy(
            upstream: upstream.url,
            keys: "auth: {type: none}\n\(upstream.tlsKeys)\n\(Self.customProxy(port: squid.port))",
            environment: ["PROXY_PASSWORD": wrongPassword])

        let response = try await proxy.send("/refused")

        #expect(response.status == 502)
        let error = try ProxyErrorBody(response: response)
        #expect(error.error == "upstream_unreachable")
        #expect(error.message.contains("chained proxy 127.0.0.1:\(squid.port) refused"), "\(error.message)")
        #expect(error.message.contains("407"), "\(error.message)")
        #expect(try await squid.settledAccessLog().map(\.status) == [407])
        #expect(try upstream.echo.requestCounts().isEmpty)
        #expect(!proxy.output.contains(wrongPassword) && !response.text.contains(wrongPassword))
    }

    @Test func unreachableProxyIs502SayingTheProxyRefused() async throws {
        let upstream = try await EchoUpstream()
        let deadPort = try FreePort.allocate()
        let proxy = try await SingleRouteProxy(
            upstream: upstream.baseURL, keys: "auth: {type: none}\n\(Self.customProxy(port: deadPort))",
            environment: ["PROXY_PASSWORD": Self.credentials.password])

        let response = try await proxy.send("/x")

        #expect(response.status == 502)
        let error = try ProxyErrorBody(response: response)
        #expect(error.error == "upstream_unreachable")
        #expect(error.message.contains("chained proxy 127.0.0.1:\(deadPort) refused"), "\(error.message)")
    }

    /// `NO_PROXY` is decided when the route is made, so a dead platform proxy is named as such even when
    /// `NO_PROXY` lists other hosts.
    @Test func unreachablePlatformProxyIsNamedWhenNoProxyListsOtherHosts() async throws {
        let upstream = try await EchoUpstream()
        let deadPort = try FreePort.allocate()
        let proxy = try await SingleRouteProxy(
            upstream: upstream.baseURL, keys: "auth: {type: none}\nproxy: {type: platform}",
            environment: Self.proxyEnvironment(
                ["HTTP_PROXY": "http://127.0.0.1:\(deadPort)", "NO_PROXY": "example.com,10.0.0.0/8"]))

        let response = try await proxy.send("/x")

        #expect(response.status == 502)
        let error = try ProxyErrorBody(response: response)
        #expect(error.message.contains("chained proxy 127.0.0.1:\(deadPort) refused"), "\(error.message)")
        #expect(error.message.contains("(Connection refused)"), "\(error.message)")
        #expect(try upstream.requestCounts().isEmpty)
    }

    @Test(arguments: RouteUpstream.Scheme.allCases)
    func noneGoesDirectWhateverTheEnvironmentSays(scheme: RouteUpstream.Scheme) async throws {
        let upstream = try await RouteUpstream(scheme)
        let dead = "http://127.0.0.1:\(try FreePort.allocate())"
        let proxy = try await SingleRouteProxy(
            upstream: upstream.url, keys: "auth: {type: none}\n\(upstream.tlsKeys)\nproxy: {type: none}",
            environment: Self.proxyEnvironment(
                ["HTTP_PROXY": dead, "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead]))

        let response = try await proxy.send("/direct")

        #expect(response.status == 200, "\(response.text)")
        #expect(try EchoReport(response: response).path == "/direct")
    }

    /// `HTTP_PROXY` for http:// upstreams, `HTTPS_PROXY` for https://; each in the other letter case, since either counts.
    @Test(arguments: [(RouteUpstream.Scheme.http, "HTTP_PROXY"), (.https, "https_proxy")])
    func platformFollowsTheEnvironmentsProxy(scheme: RouteUpstream.Scheme, variable: String) async throws {
        let squid = try await SquidProxy()
        let upstream = try await RouteUpstream(scheme)
        let proxy = try await SingleRouteProxy(
            upstream: upstream.url, keys: "auth: {type: none}\n\(upstream.tlsKeys)\nproxy: {type: platform}",
            environment: Self.proxyEnvironment([variable: squid.url]))

        let response = try await proxy.send("/platform")
        proxy.process.process.stop()

        #expect(response.status == 200, "\(response.text)")
        let (method, url) = upstream.proxied("/platform")
        #expect(
            try await squid.settledAccessLog() == [
                SquidAccessLogEntry(method: method, url: url, user: "-", status: 200)
            ])
    }

    @Test(arguments: [("127.0.0.1", false), ("example.com,.internal", true), ("*", false)])
    func platformBypassesTheProxyForHostsInNoProxy(noProxy: String, proxied: Bool) async throws {
        let squid = try await SquidProxy()
        let upstream = try await RouteUpstream(.https)
        let proxy = try await SingleRouteProxy(
            upstream: upstream.url, keys: "auth: {type: none}\n\(upstream.tlsKeys)\nproxy: {type: platform}",
            environment: Self.proxyEnvironment(["HTTPS_PROXY": squid.url, "NO_PROXY": noProxy]))

        let response = try await proxy.send("/maybe-bypassed")
        proxy.process.process.stop()

        #expect(response.status == 200, "\(response.text)")
        #expect(try await squid.settledAccessLog().count == (proxied ? 1 : 0))
    }

    /// The token request follows the platform proxy (here none, or a second squid in `HTTP_PROXY`), never the route's.
    @Test(arguments: [false, true])
    func tokenRequestBypassesTheCustomProxy(platformProxy: Bool) async throws {
        let authorizationServer = try await AuthorizationServer()
        let upstream = try await EchoUpstream()
        let routeSquid = try await SquidProxy(credentials: Self.credentials)
        let platformSquid = platformProxy ? try await SquidProxy() : nil
        let proxy = try await SingleRouteProxy(
            upstream: upstream.baseURL,
            keys: """
                auth: {type: oauth2ClientCredentials, accessTokenURL: "\(authorizationServer.tokenURL)", \
                clientID: \(authorizationServer.clientID), clientSecret: "${env:TEST_CLIENT_SECRET}"}
                \(Self.customProxy(port: routeSquid.port))
                """,
            environment: Self.proxyEnvironment(["HTTP_PROXY": platformSquid?.url ?? ""]).merging([
                "TEST_CLIENT_SECRET": authorizationServer.clientSecret, "PROXY_PASSWORD": Self.credentials.password,
            ]) { $1 })

        let response = try await proxy.send("/with-token")
        proxy.process.process.stop()

        #expect(response.status == 200, "\(response.text)")
        #expect(try EchoReport(response: response).header("Authorization")?.hasPrefix("Bearer ") == true)
        #expect(try authorizationServer.stats().tokenRequests >= 1)
        let routeLog = try await routeSquid.settledAccessLog()
        #expect(
            routeLog.map(\.url) == ["\(upstream.baseURL)/with-token"], "only the API request uses the route's proxy")
        if let platformSquid {
            let tokenRequests = try await platformSquid.settledAccessLog().map(\.url)
            #expect(!tokenRequests.isEmpty && tokenRequests.allSatisfy { $0 == authorizationServer.tokenURL })
        }
    }
}
