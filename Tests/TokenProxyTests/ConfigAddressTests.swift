// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct ConfigAddressTests {
    @Test func hostPortNeedsAPort() throws {
        #expect(try HostPort(parsing: "0.0.0.0:80") == HostPort(host: "0.0.0.0", port: 80))
        #expect(try HostPort(parsing: "[::]:8080") == HostPort(host: "::", port: 8080))
        #expect(throws: AddressError.missingPort) { try HostPort(parsing: "localhost") }
        #expect(throws: AddressError.invalidPort) { try HostPort(parsing: "localhost:") }
        #expect(throws: AddressError.invalidPort) { try HostPort(parsing: "localhost:+80") }
        #expect(throws: AddressError.invalidHost) { try HostPort(parsing: ":8080") }
        #expect(throws: AddressError.invalidHost) { try HostPort(parsing: "[::1]8080") }
        #expect(throws: AddressError.invalidHost) { try HostPort(parsing: "[zz::1]:8080") }
    }

    @Test func hostPatternsAreLowerCasedWithoutTrailingDot() throws {
        #expect(try HostPattern(parsing: "API.example.com.:443") == HostPattern(host: "api.example.com", port: 443))
        #expect(try HostPattern(parsing: "10.0.0.1") == HostPattern(host: "10.0.0.1"))
        #expect(throws: AddressError.invalidHost) { try HostPattern(parsing: ".") }
        #expect(throws: AddressError.invalidHost) { try HostPattern(parsing: "*.example.com") }
        #expect(throws: AddressError.unbracketedIPv6) { try HostPattern(parsing: "fd00::1") }
    }

    @Test func upstreamURLsKeepTheirBasePath() throws {
        #expect(
            try UpstreamURL(parsing: "http://[::1]:9000/a/b/")
                == UpstreamURL(scheme: .http, host: "::1", port: 9000, basePath: "/a/b"))
        #expect(try UpstreamURL(parsing: "https://x.example.com/").description == "https://x.example.com")
        #expect(throws: AddressError.unsupportedScheme) { try UpstreamURL(parsing: "x.example.com") }
        #expect(throws: AddressError.queryOrFragment) { try UpstreamURL(parsing: "https://x.example.com/#top") }
        #expect(throws: AddressError.userinfo) { try UpstreamURL(parsing: "https://u@x.example.com") }
        #expect(throws: AddressError.missingHost) { try UpstreamURL(parsing: "https:///path") }
    }

    @Test func proxyHostsStandAlone() throws {
        #expect(try parseHostName("proxy.example.com") == "proxy.example.com")
        #expect(try parseHostName("fd00::1") == "fd00::1")
        #expect(try parseHostName("[fd00::1]") == "fd00::1")
        #expect(throws: AddressError.unexpectedPort) { try parseHostName("proxy.example.com:3128") }
    }
}
