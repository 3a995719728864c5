// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// Files that are not usable stores, warnings, and what messages leave out.
@Suite struct KeyStoreErrorTests {
    @Test func missingFileIsNamed() {
        let path = "/nonexistent/truststore.jks"
        #expect(throws: KeyStoreError.fileUnreadable(path: path, reason: "no such file")) {
            try TLSMaterial.load(TLSConfiguration(trustStore: path))
        }
    }

    @Test func garbageShowsItsFirstBytes() throws {
        let path = try KeyStoreFixtures.path("garbage.bin")
        #expect(throws: KeyStoreError.notAKeyStore(path: path, looksLike: "it starts with 74 68 65 73")) {
            try TLSMaterial.load(TLSConfiguration(trustStore: path))
        }
    }

    @Test func base64OfAJKSStoreIsRecognised() throws {
        let path = try KeyStoreFixtures.path("truststore.jks.b64")
        let error = #expect(throws: KeyStoreError.self) { try TLSMaterial.load(TLSConfiguration(trustStore: path)) }
        #expect(error?.metricLabel == "not_a_key_store")
        #expect(error?.description.contains("base64 text of a JKS store") == true)
    }

    @Test func certificatesOutsideTheirValidityAreWarnedAbout() throws {
        let path = try KeyStoreFixtures.path("truststore.jks")
        let configuration = TLSConfiguration(trustStore: path, trustStorePassword: Secret(KeyStoreFixtures.password))
        let later = try TLSMaterial.load(configuration, now: Date(timeIntervalSinceNow: 40 * 365 * 86_400))
        let notAfter = try #require(later.trustStore?.certificates.first?.notAfter)
        #expect(
            later.warnings == [
                "certificate \"testca\" (CN=Test Root CA) in \(path) expired on \(notAfter.ISO8601Format())"
            ])
        let earlier = try TLSMaterial.load(configuration, now: Date(timeIntervalSince1970: 0))
        #expect(earlier.warnings.count == 1)
        #expect(earlier.warnings.first?.contains("is not valid before") == true)
    }

    @Test func noPasswordAppearsInErrorsOrOutput() throws {
        let secret = "S3cr3t-Pa55-\(UInt32.random(in: 0...UInt32.max))"
        let configurations = try [
            TLSConfiguration(trustStore: KeyStoreFixtures.path("truststore.jks"), trustStorePassword: Secret(secret)),
            TLSConfiguration(keyStore: KeyStoreFixtures.path("keystore.p12"), keyStorePassword: Secret(secret)),
            TLSConfiguration(
                keyStore: KeyStoreFixtures.path("keystore-keypass.jks"),
                keyStorePassword: Secret(KeyStoreFixtures.password), keyPassword: Secret(secret)),
            TLSConfiguration(keyStore: KeyStoreFixtures.path("identity-encrypted.pem"), keyPassword: Secret(secret)),
        ]
        for configuration in configurations {
            let error = #expect(throws: KeyStoreError.self) { try TLSMaterial.load(configuration) }
            let text = String(describing: error) + (error?.description ?? "")
            #expect(!text.contains(secret))
            #expect(!text.contains(KeyStoreFixtures.password))
        }
    }

    @Test func privateKeyPrintsRedacted() throws {
        let configuration = TLSConfiguration(
            keyStore: try KeyStoreFixtures.path("keystore.jks"), keyStorePassword: Secret(KeyStoreFixtures.password))
        let identity = try #require(try TLSMaterial.load(configuration).clientIdentity)
        let printed = "\(identity.privateKeyPEM) \(String(reflecting: identity.privateKeyPEM)) \(identity)"
        #expect(!printed.contains("PRIVATE KEY"))
        #expect(printed.contains("redacted"))
    }
}
