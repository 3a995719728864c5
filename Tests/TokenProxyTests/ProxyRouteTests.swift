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
        #expect(PlatformProxy(environment: [:]).route(for: .https) == .direct)
    }

    @Test func noneStaysDirectWhateverTheEnvironmentSays() {
        let platform = PlatformProxy(environment: ["HTTPS_PROXY": "http://proxy:3128"])
        #expect(ProxyRoute(settings: .none, scheme: .https, platform: platform) == .direct)
        #expect(ProxyRoute(settings: .platform, scheme: .https, platform: platform) != .direct)
    }

    @Test func customProxyIgnoresTheEnvironmentsNoProxy() {
        let platform = PlatformProxy(environment: ["NO_PROXY": "*"])
        let route = ProxyRoute(
            settings: .custom(CustomProxy(host: "::1", port: 3128, user: "u")), scheme: .http, platform: platform)
        #expect(route == .through(ChainedProxy(url: "http://[::1]:3128", user: "u", password: nil, noProxy: nil)))
    }

    @Test(arguments: [
        ("http://proxy.corp:3128", "proxy.corp:3128"),
        ("http://user:p%40ss@proxy.corp:3128/", "proxy.corp:3128"),
        ("proxy.corp:8080", "proxy.corp:8080"),
        ("http://[fd00::1]:3128", "[fd00::1]:3128"),
    ])
    func addressShowsNoCredentials(url: String, address: String) {
        #expect(ChainedProxy(url: url, noProxy: nil).address == address[...])
    }

    @Test func connectFailuresAreTheProxysUnlessNoProxyCouldHaveBypassedIt() {
        let direct = ChainedProxy(url: "http://proxy.corp:3128", noProxy: nil)
        #expect(direct.caused(connectFailure("Failed to connect to api.example.com port 443")))
        #expect(direct.caused(.proxyAnswered(status: 407, reason: "Proxy Authentication Required")))
        #expect(!direct.caused(CurlError(kind: .tls, message: "SSL certificate problem", code: 60)))

        let bypassing = ChainedProxy(url: "http://user:pw@proxy.corp:3128", noProxy: "internal")
        #expect(!bypassing.caused(connectFailure("Failed to connect to proxy.corp port 3128 after 1 ms: Refused")))
        #expect(bypassing.caused(CurlError(kind: .proxy, message: "Could not resolve proxy: proxy.corp", code: 5)))
    }
}

extension ChainedProxy {
    fileprivate init(url: String, noProxy: String?) {
        self.init(url: url, user: nil, password: nil, noProxy: noProxy)
    }
}
