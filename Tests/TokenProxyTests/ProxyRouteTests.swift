// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct ProxyRouteTests {
    private func connectFailure(_ message: String) -> CurlError {
        CurlError(kind: .connect, message: message, code: 7)
    }

    @Test func platformReadsEitherCaseAndSkipsEmptyValues() {
        let platform = PlatformProxy(environment: [
            "https_proxy": "", "HTTPS_PROXY": "http://upper:3128", "http_proxy": "http://lower:3128",
            "HTTP_PROXY": "http://shadowed:3128", "NO_PROXY": "internal",
        ])
        #expect(platform.httpsProxy == "http://upper:3128")
        #expect(platform.httpProxy == "http://lower:3128")
        #expect(platform.noProxy == "internal")
        #expect(PlatformProxy(environment: [:]).route(for: .https, host: "api.example.com") == .direct)
    }

    @Test func noneStaysDirectWhateverTheEnvironmentSays() {
        let platform = PlatformProxy(environment: ["HTTPS_PROXY": "http://proxy:3128"])
        #expect(ProxyRoute(settings: .none, scheme: .https, host: "api.example.com", platform: platform) == .direct)
        #expect(ProxyRoute(settings: .platform, scheme: .https, host: "api.example.com", platform: platform) != .direct)
    }

    @Test func customProxyIgnoresTheEnvironmentsNoProxy() {
        let platform = PlatformProxy(environment: ["NO_PROXY": "*"])
        let route = ProxyRoute(
            settings: .custom(CustomProxy(host: "::1", port: 3128, user: "u")), scheme: .http, host: "api.example.com",
            platform: platform)
        #expect(route == .through(ChainedProxy(url: "http://[::1]:3128", user: "u", password: nil)))
    }

    @Test func platformGoesDirectToHostsNoProxyNames() {
        let platform = PlatformProxy(environment: [
            "HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": ".internal, 10.0.0.0/8",
        ])
        #expect(platform.route(for: .https, host: "api.internal") == .direct)
        #expect(platform.route(for: .https, host: "10.1.2.3") == .direct)
        #expect(
            platform.route(for: .https, host: "api.example.com") == .through(ChainedProxy(url: "http://proxy:3128")))
    }

    @Test(arguments: [
        ("http://proxy.corp:3128", "proxy.corp:3128"),
        ("http://user:p%40ss@proxy.corp:3128/", "proxy.corp:3128"),
        ("proxy.corp:8080", "proxy.corp:8080"),
        ("http://[fd00::1]:3128", "[fd00::1]:3128"),
    ])
    func addressShowsNoCredentials(url: String, address: String) {
        #expect(ChainedProxy(url: url).address == address[...])
    }

    /// `NO_PROXY` is applied when the route is made: through a proxy, every connection is the proxy's.
    @Test func connectFailuresAndRefusalsAreTheProxysOthersNot() {
        let proxy = ChainedProxy(url: "http://user:pw@proxy.corp:3128")
        #expect(proxy.caused(CurlError(kind: .connect, message: "Failed to connect to proxy.corp port 3128", code: 7)))
        #expect(proxy.caused(.proxyAnswered(status: 407, reason: "Proxy Authentication Required")))
        #expect(proxy.caused(CurlError(kind: .proxy, message: "Could not resolve proxy: proxy.corp", code: 5)))
        #expect(!proxy.caused(CurlError(kind: .tls, message: "SSL certificate problem", code: 60)))
        #expect(!proxy.caused(CurlError(kind: .transport, message: "Recv failure", code: 56)))
    }
}

extension ChainedProxy {
    fileprivate init(url: String) {
        self.init(url: url, user: nil, password: nil)
    }
}
