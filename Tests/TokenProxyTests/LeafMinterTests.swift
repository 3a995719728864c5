// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// Leaves minted by the fixture CAs, checked by libcrypto's verifier and by `openssl x509`.
@Suite struct LeafMinterTests {
    private func authority(_ name: String = "ca-identity.pem") throws -> CertificateAuthority {
        try CertificateAuthority.load(InterceptSettings.AuthorityStore(keyStore: try KeyStoreFixtures.path(name)))
    }

    @Test(arguments: ["api.example.test", "127.0.0.1", "[fd00::1]"])
    func aLeafVerifiesForExactlyItsHost(_ authorityHost: String) throws {
        let ca = try authority()
        let host = try #require(LeafHost(authorityHost))
        let now = Date()
        let leaf = try LeafMinter(authority: ca).mint(for: host, now: now)

        #expect(LeafVerifier.verify(leaf, anchor: ca.certificate, host: host.name, at: now) == nil)
        #expect(LeafVerifier.matches(leaf, host: host.name))
        #expect(!LeafVerifier.matches(leaf, host: "other.example.test"))
        #expect(!LeafVerifier.matches(leaf, host: "10.9.8.7"))
        #expect(leaf.certificate.issuer == ca.certificate.subject)
        #expect(leaf.certificate.subject == "CN=\(host.name)")
        let text = try LeafVerifier.text(leaf)
        let san =
            host.kind == .dnsName
            ? "DNS:\(host.name)" : "IP Address:\(host.name == "fd00::1" ? "FD00:0:0:0:0:0:0:1" : host.name)"
        #expect(text.contains("X509v3 Subject Alternative Name: \n                \(san)\n"), "\(text)")
        #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
        #expect(text.contains("X509v3 Extended Key Usage: \n                TLS Web Server Authentication\n"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
        #expect(text.contains("Signature Algorithm: ecdsa-with-SHA256"))
        #expect(text.contains("ASN1 OID: prime256v1"))
    }

    @Test func aLeafLivesADayFromFiveMinutesAgoAndVerifiesOnlyThen() throws {
        let ca = try authority()
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let leaf = try LeafMinter(authority: ca).mint(for: try #require(LeafHost("api.example.test")), now: now)

        #expect(leaf.certificate.notBefore == now - 300)
        #expect(leaf.notAfter == now + 24 * 3600)
        #expect(LeafVerifier.verify(leaf, anchor: ca.certificate, host: "api.example.test", at: now + 25 * 3600) != nil)
        #expect(LeafVerifier.verify(leaf, anchor: ca.certificate, host: "api.example.test", at: now - 600) != nil)
    }

    @Test func aLeafNeverOutlivesItsCAAndAnRSACASignsWithSHA256() throws {
        let ca = try authority("ca-rsa-identity.pem")
        let now = ca.certificate.notAfter - 3600
        let leaf = try LeafMinter(authority: ca).mint(for: try #require(LeafHost("api.example.test")), now: now)

        #expect(leaf.notAfter == ca.certificate.notAfter)
        #expect(LeafVerifier.verify(leaf, anchor: ca.certificate, host: "api.example.test", at: now) == nil)
        #expect(try LeafVerifier.text(leaf).contains("Signature Algorithm: sha256WithRSAEncryption"))
    }

    @Test func anExpiredCAMintsNothing() throws {
        let ca = try authority("ca-rsa-identity.pem")
        let host = try #require(LeafHost("api.example.test"))
        #expect(throws: LeafMinter.Failure.self) {
            try LeafMinter(authority: ca).mint(for: host, now: ca.certificate.notAfter + 1)
        }
    }

    @Test func leavesHaveDistinctSerialsAndKeys() throws {
        let minter = LeafMinter(authority: try authority())
        let host = try #require(LeafHost("api.example.test"))
        let first = try minter.mint(for: host), second = try minter.mint(for: host)
        #expect(
            try LeafVerifier.text(first).components(separatedBy: "Serial Number:")[1].prefix(70)
                != LeafVerifier.text(second).components(separatedBy: "Serial Number:")[1].prefix(70))
        #expect(!first.certificate.matches(second.key))
        #expect(first.certificate.matches(first.key))
    }

    @Test func aHostLongerThanACommonNameIsNamedInTheCriticalSANOnly() throws {
        let ca = try authority()
        let name = String(repeating: "a", count: 60) + "." + String(repeating: "b", count: 20) + ".example.test"
        let leaf = try LeafMinter(authority: ca).mint(for: try #require(LeafHost(name)))
        #expect(leaf.certificate.subject == "")
        #expect(LeafVerifier.verify(leaf, anchor: ca.certificate, host: name, at: Date()) == nil)
        #expect(try LeafVerifier.text(leaf).contains("X509v3 Subject Alternative Name: critical"))
    }

    @Test func hostsAreNamesOrAddressesAndNothingElse() {
        #expect(LeafHost("API.Example.Test") == LeafHost("api.example.test"))
        #expect(LeafHost("api.example.test")?.kind == .dnsName)
        #expect(LeafHost("10.0.0.1")?.kind == .ipAddress)
        #expect(LeafHost("[fd00:0::1]")?.name == "fd00::1")
        for bad in [
            "", "a..b", "-a.example", "a-.example", "*.example.test", "a.example.test.", "a b", "a,DNS:evil.test",
            "fd00::1", "[10.0.0.1]", "ex\u{e4}mple.test", String(repeating: "a", count: 64) + ".test",
        ] {
            #expect(LeafHost(bad) == nil, "\(bad)")
        }
    }
}
