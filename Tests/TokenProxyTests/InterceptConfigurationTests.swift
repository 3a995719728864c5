// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// `intercept.ca.*`: parsing, and the CA opened from stores that `openssl`, `keytool` and `ca init` made.
@Suite struct InterceptConfigurationTests {
    private static let routes = ConfigurationLoaderTests.minimal

    @Test func interceptIsAbsentUnlessWritten() throws {
        #expect(try loadConfig(Self.routes).intercept == nil)
    }

    @Test func authorityKeysAreReadWithPathsRelativeToTheFile() throws {
        let config = try loadConfig(
            """
            intercept:
              ca:
                keyStore: ca/ca.p12
                keyStorePassword: ${file:/run/secrets/ca-password}
                keyAlias: token-proxy-ca
                keyPassword: k3y
            """ + "\n" + Self.routes, files: ["/run/secrets/ca-password": "s3cret"])
        let authority = try #require(config.intercept?.authority)
        #expect(authority.keyStore == "/etc/token-proxy/ca/ca.p12")
        #expect(authority.keyStorePassword == Secret("s3cret"))
        #expect(authority.keyAlias == "token-proxy-ca")
        #expect(authority.keyPassword == Secret("k3y"))
        #expect(!"\(authority)".contains("s3cret"), "passwords print redacted")
    }

    @Test func mistakesNameTheKey() {
        let file = "/etc/token-proxy/config.yaml"
        #expect(
            configFailure("intercept: {}\n" + Self.routes).hasPrefix("\(file): intercept.ca is required: the CA that"))
        #expect(
            configFailure("intercept: {ca: {keyAlias: x}}\n" + Self.routes).contains(
                "intercept.ca.keyStore is required"))
        #expect(configFailure("intercept: {ca: {keystore: x}}\n" + Self.routes).contains("Did you mean keyStore?"))
        #expect(configFailure("intercept: {ca: {keyStore: ''}}\n" + Self.routes).contains("intercept.ca.keyStore"))
        #expect(configFailure("intercept: {cert: x}\n" + Self.routes).contains("unknown key intercept.cert"))
        #expect(
            configFailure("routes:\n  - name: api\n    upstream: https://a.example\n    intercept: {ca: {keyStore: x}}")
                .contains("unknown key routes[0].intercept"))
    }

    private func authority(
        _ name: String, password: String? = KeyStoreFixtures.password, alias: String? = nil, now: Date = Date()
    ) throws -> CertificateAuthority {
        try CertificateAuthority.load(
            InterceptSettings.AuthorityStore(
                keyStore: try KeyStoreFixtures.path(name), keyStorePassword: password.map(Secret.init), keyAlias: alias),
            now: now)
    }

    @Test(arguments: [("ca-identity.pem", KeyStoreFormat.pem), ("ca.p12", .pkcs12), ("ca.jks", .jks)])
    func theECRootOpensFromEveryFormat(_ name: String, format: KeyStoreFormat) throws {
        let ca = try authority(name, password: format == .pem ? nil : KeyStoreFixtures.password)
        #expect(ca.format == format)
        #expect(ca.certificate.subject == "CN=Test Root CA")
        #expect(ca.warnings.isEmpty, "\(ca.warnings)")
        let openssl = try Shell.run(
            "openssl x509 -in ca.crt -noout -fingerprint -sha256", in: try KeyStoreFixtures.directory.get())
        #expect(openssl.output == "sha256 Fingerprint=\(ca.certificate.fingerprintSHA256)\n")
    }

    @Test func anRSARootOpensAndWarnsWithin30DaysOfItsExpiry() throws {
        let ca = try authority("ca-rsa-identity.pem", password: nil)
        #expect(ca.key.isECOrRSA)
        #expect(ca.warnings.count == 1)
        #expect(ca.warnings.first?.contains("intercept CA CN=Test RSA CA in ") == true, "\(ca.warnings)")
        #expect(ca.warnings.first?.contains("token-proxy ca init") == true)
        let early = try authority("ca-identity.pem", password: nil, now: Date() + 3630 * 24 * 3600)
        #expect(early.warnings.count == 1, "3630 days on, the 3650-day root has 20 days left: \(early.warnings)")
    }

    @Test func anExpiredCAIsRefused() throws {
        let path = try KeyStoreFixtures.path("ca-rsa-identity.pem")
        do {
            _ = try authority("ca-rsa-identity.pem", password: nil, now: Date() + 31 * 24 * 3600)
            Issue.record("an expired CA signs nothing useful")
        } catch {
            guard case .expired(path, "CN=Test RSA CA", _) = error as? CertificateAuthorityError else { throw error }
            #expect("\(error)".contains("expired on"))
        }
    }

    @Test func aCertificateThatIsNoCAIsRefusedNamingTheFile() throws {
        let path = try KeyStoreFixtures.path("not-ca-identity.pem")
        #expect(throws: CertificateAuthorityError.notAnAuthority(path: path, alias: nil, subject: "CN=Not a CA")) {
            try authority("not-ca-identity.pem", password: nil)
        }
        let client = try KeyStoreFixtures.path("keystore.p12")
        #expect(
            throws: CertificateAuthorityError.notAnAuthority(
                path: client, alias: "client-ec", subject: "CN=test-client-ec")
        ) {
            try authority("keystore.p12")
        }
        let error = CertificateAuthorityError.notAnAuthority(path: path, alias: nil, subject: "CN=Not a CA")
        #expect("\(error)".contains("\(path) (CN=Not a CA) is not a CA certificate"))
    }

    @Test func aLoneKeyAndStoreErrorsNameTheInterceptSettings() throws {
        let lone = try KeyStoreFixtures.path("ca.key")
        #expect(throws: CertificateAuthorityError.noCertificate(path: lone, alias: nil)) {
            try authority("ca.key", password: nil)
        }
        do {
            _ = try authority("ca.p12", password: "wr0ng-pass")
            Issue.record("the password is wrong")
        } catch {
            #expect("\(error)".contains("intercept CA: integrity check of"), "\(error)")
            #expect(!"\(error)".contains("wr0ng-pass"))
        }
        do {
            _ = try authority("keystore-multi.jks")
            Issue.record("several keys need an alias")
        } catch {
            #expect("\(error)".contains("set intercept.ca.keyAlias"), "\(error)")
            #expect(!"\(error)".contains("tls.key"), "\(error)")
        }
    }
}
