// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

/// `NO_PROXY` matched as curl 7.88 matches it (`lib/noproxy.c`), with its IPv6 prefix fixed.
@Suite struct NoProxyListTests {
    @Test(arguments: [
        ("*", "anything.example", true),
        ("", "api.example.com", false),
        ("example.com", "example.com", true),
        ("example.com", "api.example.com", true),
        ("example.com", "nonexample.com", false),
        (".example.com", "api.example.com", true),
        (".example.com", "example.com", true),
        ("example.com.", "API.Example.COM.", true),
        ("other.test, example.com", "api.example.com", true),
        ("other.test example.com", "api.example.com", true),
        ("other.test,,example.com", "api.example.com", true),
        ("api.example.com", "example.com", false),
        ("*, example.com", "other.test", false),
        ("127.0.0.1", "127.0.0.1", true),
        ("127.0.0.1", "127.0.0.2", false),
        ("127.0.0.0/8", "127.1.2.3", true),
        ("10.0.0.0/8", "11.0.0.1", false),
        ("192.168.0.0/23", "192.168.1.200", true),
        ("192.168.0.0/23", "192.168.2.1", false),
        ("127.0.0.1/33", "127.0.0.1", false),
        ("localhost", "127.0.0.1", false),
        ("127.0.0.1", "localhost", false),
        ("::1", "[::1]", true),
        ("::1", "::1", true),
        ("fd00::/8", "fd12:3456::1", true),
        ("fd00::/12", "fd12:3456::1", false),
        ("fd00::/12", "fd02::1", true),
        ("fd00::/8", "fe80::1", false),
        ("127.0.0.1", "::ffff:127.0.0.1", false),
    ])
    func hostsMatchAsCurlMatchesThem(list: String, host: String, bypasses: Bool) {
        #expect(NoProxyList(list).bypasses(host: host) == bypasses)
    }
}
