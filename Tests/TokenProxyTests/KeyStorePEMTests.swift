// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// PEM bundles, and keys with their chains in one PEM file.
@Suite struct KeyStorePEMTests {
    @Test func bundleTrustsEveryCertificate() throws {
        let configuration = TLSConfiguration(trustStore: try KeyStoreFixtures.path("bundle.pem"))
        let truststore = try #require(try TLSMaterial.load(configuration).trustStore)
        #expect(truststore.format == .pem)
        #expect(truststore.certificates.map(\.subject) == ["CN=Test Root CA", "CN=Test Intermediate CA"])
        #expect(truststore.warnings.isEmpty)
        #expect(try OpenSSLCheck.certificateCount(truststore.pemBundle) == 2)
    }

    /// What curl compares per request in place of the bundle: one certificate, and a line that changes with the bundle.
    @Test func identityPEMIsOneCertificateThatDiffersWithTheBundle() throws {
        let bundle = try loadTrustStore("bundle.pem")
        let firstAlone = try loadTrustStore("ca.crt")
        #expect(try OpenSSLCheck.certificateCount(bundle.identityPEM) == 1)
        #expect(try OpenSSLCheck.certificateCount(firstAlone.identityPEM) == 1)
        #expect(bundle.identityPEM != firstAlone.identityPEM, "same first certificate, different bundles")
        #expect(try loadTrustStore("bundle.pem").identityPEM == bundle.identityPEM)
    }

    @Test func keyAndChainInOneFileAreOrderedLeafFirst() throws {
        let identity = try loadIdentity("identity.pem", alias: "ignored-for-pem")
        #expect(identity.alias == nil)
        #expect(identity.chain.map(\.subject) == ["CN=test-client-ec", "CN=Test Intermediate CA", "CN=Test Root CA"])
        #expect(try OpenSSLCheck.certificateCount(identity.certificateChainPEM) == 3)
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func traditionalRSAKeyIsConvertedToPKCS8() throws {
        let identity = try loadIdentity("identity-rsa.pem")
        let key = String(decoding: identity.privateKeyPEM.withUnsafeBytes { Array($0) }, as: UTF8.self)
        #expect(key.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test(arguments: ["identity-encrypted.pem", "identity-legacy-encrypted.pem"])
    func encryptedKeyOpensWithItsPassword(name: String) throws {
        let identity = try loadIdentity(name, keyPassword: Secret(KeyStoreFixtures.pemPassword))
        #expect(try OpenSSLCheck.keyMatchesFirstCertificate(identity))
    }

    @Test func encryptedKeyWithWrongPasswordOrNone() throws {
        let path = try KeyStoreFixtures.path("identity-encrypted.pem")
        #expect(throws: KeyStoreError.wrongKeyPassword(path: path, alias: nil)) {
            try loadIdentity("identity-encrypted.pem", keyPassword: Secret("wrong"))
        }
        #expect(throws: KeyStoreError.passwordRequired(path: path, setting: "tls.keyPassword")) {
            try loadIdentity("identity-encrypted.pem")
        }
    }

    @Test func keyOfAnotherCertificateIsRefused() throws {
        let path = try KeyStoreFixtures.path("identity-mismatch.pem")
        #expect(throws: KeyStoreError.keyDoesNotMatchCertificate(path: path, alias: nil)) {
            try loadIdentity("identity-mismatch.pem")
        }
    }

    private func loadTrustStore(_ name: String) throws -> TrustStore {
        try #require(try TLSMaterial.load(TLSConfiguration(trustStore: try KeyStoreFixtures.path(name))).trustStore)
    }

    private func loadIdentity(_ name: String, alias: String? = nil, keyPassword: Secret? = nil) throws -> ClientIdentity
    {
        let configuration = TLSConfiguration(
            keyStore: try KeyStoreFixtures.path(name), keyAlias: alias, keyPassword: keyPassword)
        return try #require(try TLSMaterial.load(configuration).clientIdentity)
    }
}
