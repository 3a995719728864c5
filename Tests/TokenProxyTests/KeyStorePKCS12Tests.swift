// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// PKCS12 files written by keytool (modern and legacy algorithms) and by openssl.
@Suite struct KeyStorePKCS12Tests {
    let password = Secret(KeyStoreFixtures.password)

    @Test(arguments: ["keystore.p12", "keystore-legacy.p12", "client-ec.p12"])
    func keystoreYieldsKeyAndChain(name: String) throws {
        let identity = try loadIdentity(name)
        #expect(identity.format == .pkcs12)
        #expect(identity.alias == "client-ec")
        #expect(identity.chain.map(\.subject) == ["CN=test-client-ec", "CN=Test Intermediate CA", "CN=Test Root CA"])
        #expect(try OpenSSLCheck.certificateCount(identity.certificateChainPEM) == 3)
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func formatComesFromTheBytesNotTheName() throws {
        let identity = try loadIdentity("implicit.jks")
        #expect(identity.format == .pkcs12)
    }

    @Test func wrongPasswordFailsTheMAC() throws {
        let path = try KeyStoreFixtures.path("keystore.p12")
        #expect(throws: KeyStoreError.wrongStorePassword(path: path)) {
            try TLSMaterial.load(TLSConfiguration(keyStore: path, keyStorePassword: Secret("notthepassword")))
        }
    }

    @Test func aliasChoosesAmongSeveralKeys() throws {
        let identity = try loadIdentity("multi.p12", alias: "CLIENT")
        #expect(identity.chain.map(\.subject) == ["CN=test-client", "CN=Test Root CA"])
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
        let error = #expect(throws: KeyStoreError.self) { try loadIdentity("multi.p12") }
        #expect(error?.metricLabel == "ambiguous_key")
    }

    @Test func keytoolTruststoreTrustsOnlyFlaggedCertificates() throws {
        let truststore = try loadTrustStore("truststore.p12", password: password)
        #expect(truststore.certificates.map(\.alias) == ["testca"])
        #expect(try OpenSSLCheck.certificateCount(truststore.pemBundle) == 1)
        // The keystore with two keys also flags one trusted certificate; the keys' chains are not trusted.
        let mixed = try loadTrustStore("multi.p12", password: password)
        #expect(mixed.certificates.map(\.subject) == ["CN=Test Root CA"])
    }

    @Test func encryptedTruststoreNeedsItsPassword() throws {
        let path = try KeyStoreFixtures.path("truststore.p12")
        #expect(throws: KeyStoreError.passwordRequired(path: path, setting: "tls.trustStorePassword")) {
            try loadTrustStore("truststore.p12", password: nil)
        }
    }

    @Test func passwordlessTruststoreOpensWithAndWithoutPassword() throws {
        let path = try KeyStoreFixtures.path("truststore-nopass.p12")
        let unverified = try loadTrustStore("truststore-nopass.p12", password: nil)
        #expect(unverified.certificates.map(\.alias) == ["testca"])
        #expect(unverified.warnings == ["\(path) has no integrity MAC; its contents are not verified"])
        #expect(try loadTrustStore("truststore-nopass.p12", password: password).certificates.count == 1)
    }

    @Test func certificateOnlyFileWithoutTrustFlagsTrustsAll() throws {
        let truststore = try loadTrustStore("nokeys-openssl.p12", password: password)
        #expect(truststore.certificates.map(\.subject) == ["CN=Test Root CA"])
        #expect(truststore.warnings.contains { $0.contains("Java would trust none") })
    }

    @Test func keystoreWithoutTrustFlagsIsNoTruststore() throws {
        let path = try KeyStoreFixtures.path("keystore.p12")
        #expect(throws: KeyStoreError.noCertificates(path: path)) {
            try loadTrustStore("keystore.p12", password: password)
        }
    }

    private func loadTrustStore(_ name: String, password: Secret?) throws -> TrustStore {
        let configuration = TLSConfiguration(trustStore: try KeyStoreFixtures.path(name), trustStorePassword: password)
        return try #require(try TLSMaterial.load(configuration).trustStore)
    }

    private func loadIdentity(_ name: String, alias: String? = nil) throws -> ClientIdentity {
        let configuration = TLSConfiguration(
            keyStore: try KeyStoreFixtures.path(name), keyStorePassword: password, keyAlias: alias)
        return try #require(try TLSMaterial.load(configuration).clientIdentity)
    }
}
