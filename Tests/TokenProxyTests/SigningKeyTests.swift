// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// `auth.signingKeyStore` read from the stores `openssl` and `keytool` made.
@Suite struct SigningKeyTests {
    private func load(
        _ name: String, password: String? = KeyStoreFixtures.password, alias: String? = nil,
        keyPassword: String? = nil, algorithm: JWSAlgorithm? = nil, keyID: String? = nil
    ) throws -> SigningKey {
        try SigningKey.load(
            SigningKeyConfiguration(
                keyStore: try KeyStoreFixtures.path(name), keyStorePassword: password.map(Secret.init),
                keyAlias: alias, keyPassword: keyPassword.map(Secret.init), algorithm: algorithm, keyID: keyID))
    }

    /// base64url of the certificate's DER digest, as `openssl` computes it.
    private func thumbprint(_ certificate: String, digest: String) throws -> String {
        let result = try Shell.run(
            "openssl x509 -in \(certificate) -outform DER | openssl dgst -\(digest) -binary | base64 -w0 "
                + "| tr '+/' '-_' | tr -d '='",
            in: try KeyStoreFixtures.directory.get())
        return result.output
    }

    @Test func rsaKeyFromJKSSignsRS256AndIsNamedByItsCertificate() throws {
        let key = try load("keystore-rsa.jks")
        #expect(key.format == .jks)
        #expect(key.signer.algorithm == .rs256)
        #expect(key.certificate?.subject == "CN=test-client")
        #expect(key.thumbprintSHA256 == (try thumbprint("client-rsa.crt", digest: "sha256")))
        #expect(key.thumbprintSHA1 == (try thumbprint("client-rsa.crt", digest: "sha1")))
        #expect(key.keyID == key.thumbprintSHA256)
        #expect(key.headerFields.map(\.0) == ["kid", "x5t", "x5t#S256"])
    }

    @Test func ecKeyFromPKCS12SignsES256() throws {
        let key = try load("keystore.p12")
        #expect(key.format == .pkcs12)
        #expect(key.signer.algorithm == .es256)
        #expect(key.certificate?.subject == "CN=test-client-ec")
        #expect(key.thumbprintSHA256 == (try thumbprint("client-ec.crt", digest: "sha256")))
    }

    @Test func configuredAlgorithmAndKeyIDWin() throws {
        let key = try load("keystore-rsa.jks", algorithm: .ps256, keyID: "2026-key")
        #expect(key.signer.algorithm == .ps256)
        #expect(key.keyID == "2026-key")
    }

    @Test func aLonePEMKeySignsWithoutCertificateFields() throws {
        let key = try load("client-ec.key", password: nil)
        #expect(key.certificate == nil)
        #expect(key.thumbprintSHA256 == nil && key.thumbprintSHA1 == nil)
        #expect(key.headerFields.map(\.0) == ["kid"])
        #expect(key.keyID.count == 43)
    }

    @Test func algorithmThatDoesNotFitTheKeyIsRefused() throws {
        let path = try KeyStoreFixtures.path("keystore.p12")
        #expect(
            throws: SigningKeyError.algorithmMismatch(
                path: path, alias: "client-ec", algorithm: .rs256, supported: [.es256])
        ) {
            try load("keystore.p12", algorithm: .rs256)
        }
    }

    @Test func storeErrorsNameTheSigningSettings() throws {
        do {
            _ = try load("keystore-keypass.jks")
            Issue.record("the key password is needed")
        } catch {
            #expect("\(error)".contains("auth.signingKeyPassword"), "\(error)")
            #expect(!"\(error)".contains("tls.key"), "\(error)")
        }
        do {
            _ = try load("keystore-multi.jks")
            Issue.record("several keys need an alias")
        } catch {
            #expect("\(error)".contains("set auth.signingKeyAlias"), "\(error)")
        }
        #expect(try load("keystore-keypass.jks", keyPassword: KeyStoreFixtures.keyPassword).alias == "client-ec")
    }

    @Test func keyThatIsNotItsCertificatesIsRefused() throws {
        let path = try KeyStoreFixtures.path("identity-mismatch.pem")
        #expect(throws: SigningKeyError.keyStore(.keyDoesNotMatchCertificate(path: path, alias: nil))) {
            try load("identity-mismatch.pem", password: nil)
        }
    }
}
