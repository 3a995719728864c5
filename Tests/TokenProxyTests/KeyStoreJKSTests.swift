// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// JKS and JCEKS stores written by keytool.
@Suite struct KeyStoreJKSTests {
    let password = Secret(KeyStoreFixtures.password)

    @Test func truststoreYieldsItsTrustedCertificate() throws {
        let store = try #require(
            try TLSMaterial.load(
                TLSConfiguration(trustStore: KeyStoreFixtures.path("truststore.jks"), trustStorePassword: password)
            ).trustStore)
        #expect(store.format == .jks)
        #expect(store.certificates.map(\.alias) == ["testca"])
        #expect(store.certificates.first?.subject == "CN=Test Root CA")
        #expect(store.warnings.isEmpty)
        #expect(try OpenSSLCheck.certificateCount(store.pemBundle) == 1)
    }

    @Test func truststoreWithoutPasswordIsReadWithAWarning() throws {
        let path = try KeyStoreFixtures.path("truststore.jks")
        let store = try #require(try TLSMaterial.load(TLSConfiguration(trustStore: path)).trustStore)
        #expect(store.certificates.count == 1)
        #expect(
            store.warnings == ["integrity of \(path) not verified: no password configured (tls.trustStorePassword)"])
    }

    @Test func wrongStorePasswordFailsTheIntegrityCheck() throws {
        let path = try KeyStoreFixtures.path("truststore.jks")
        #expect(throws: KeyStoreError.wrongStorePassword(path: path)) {
            try TLSMaterial.load(TLSConfiguration(trustStore: path, trustStorePassword: Secret("notthepassword")))
        }
    }

    @Test func keystoreYieldsKeyAndFullChain() throws {
        let identity = try loadIdentity("keystore.jks")
        #expect(identity.format == .jks)
        #expect(identity.alias == "client-ec")
        #expect(identity.chain.map(\.subject) == ["CN=test-client-ec", "CN=Test Intermediate CA", "CN=Test Root CA"])
        #expect(try OpenSSLCheck.certificateCount(identity.certificateChainPEM) == 3)
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func rsaKeyUnwraps() throws {
        let identity = try loadIdentity("keystore-rsa.jks")
        #expect(identity.chain.first?.subject == "CN=test-client")
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func keyPasswordDifferentFromStorePassword() throws {
        let path = try KeyStoreFixtures.path("keystore-keypass.jks")
        #expect(throws: KeyStoreError.wrongKeyPassword(path: path, alias: "client-ec")) {
            try loadIdentity("keystore-keypass.jks")
        }
        let identity = try loadIdentity("keystore-keypass.jks", keyPassword: Secret(KeyStoreFixtures.keyPassword))
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func severalKeysNeedAnAlias() throws {
        let path = try KeyStoreFixtures.path("keystore-multi.jks")
        let error = #expect(throws: KeyStoreError.self) { try loadIdentity("keystore-multi.jks") }
        guard case .ambiguousKey(path, let aliases) = error else {
            Issue.record("expected ambiguousKey, got \(String(describing: error))")
            return
        }
        #expect(Set(aliases) == ["client", "client-ec"])
    }

    @Test func aliasChoosesTheKeyIgnoringCase() throws {
        let identity = try loadIdentity("keystore-multi.jks", alias: "Client-EC")
        #expect(identity.alias == "client-ec")
        #expect(identity.chain.first?.subject == "CN=test-client-ec")
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func unknownAliasListsThePrivateKeys() throws {
        let error = #expect(throws: KeyStoreError.self) { try loadIdentity("keystore-multi.jks", alias: "testca") }
        guard case .aliasNotFound(_, "testca", let available) = error else {
            Issue.record("expected aliasNotFound, got \(String(describing: error))")
            return
        }
        #expect(Set(available) == ["client", "client-ec"])
    }

    @Test func keytoolGeneratedKeyWithNonASCIIAlias() throws {
        // keytool stores the alias lower-cased in modified UTF-8, and an EC key without its public half.
        let identity = try loadIdentity("unicode.jks", alias: "ZÜRICH-🔑")
        #expect(identity.alias == "zürich-🔑")
        #expect(identity.chain.map(\.subject) == ["CN=keytool-generated"])
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func keystoreWithoutTrustedEntriesIsNoTruststore() throws {
        let path = try KeyStoreFixtures.path("keystore.jks")
        #expect(throws: KeyStoreError.noCertificates(path: path)) {
            try TLSMaterial.load(TLSConfiguration(trustStore: path, trustStorePassword: password))
        }
    }

    @Test func truststoreIsNoKeystore() throws {
        let path = try KeyStoreFixtures.path("truststore.jks")
        #expect(throws: KeyStoreError.noPrivateKey(path: path)) { try loadIdentity("truststore.jks") }
    }

    @Test func truncatedStoreIsDamaged() throws {
        let error = #expect(throws: KeyStoreError.self) { try loadIdentity("truncated.jks") }
        #expect(error?.metricLabel == "damaged")
    }

    @Test func jceksKeyUnwraps() throws {
        let identity = try loadIdentity("keystore.jceks")
        #expect(identity.format == .jceks)
        #expect(identity.chain.count == 3)
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func jceksSecretKeyIsRefusedWithConversionHint() throws {
        let path = try KeyStoreFixtures.path("keystore-secret.jceks")
        let error = #expect(throws: KeyStoreError.self) { try loadIdentity("keystore-secret.jceks") }
        #expect(error == .jceksSecretKey(path: path, alias: "aeskey"))
        #expect(error?.description.contains("keytool -importkeystore") == true)
    }

    private func loadIdentity(_ name: String, alias: String? = nil, keyPassword: Secret? = nil) throws -> ClientIdentity
    {
        let configuration = TLSConfiguration(
            keyStore: try KeyStoreFixtures.path(name), keyStorePassword: password, keyAlias: alias,
            keyPassword: keyPassword)
        return try #require(try TLSMaterial.load(configuration).clientIdentity)
    }
}
