// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// `token-proxy ca init`'s files, read back by `openssl`, `keytool` and the store readers.
@Suite struct AuthorityFilesTests {
    /// A fresh directory per test, removed afterwards.
    private final class Directory {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("token-proxy-ca-\(UUID().uuidString.prefix(8))").path

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    private func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func createsAP256CAThatSignsLeavesOnly() throws {
        let directory = Directory()
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let created = try AuthorityFiles.create(in: directory.path + "/ca", force: false, hostName: "build-7", now: now)

        #expect(created.summary.subject == "O=token-proxy,CN=token-proxy local interception CA (build-7)")
        #expect(created.summary.notBefore == now - 300)
        #expect(created.summary.notAfter == now + 730 * 24 * 3600)
        #expect(try mode(directory.path + "/ca") == 0o700)
        #expect(try mode(created.keyPath) == 0o600)
        #expect(try mode(created.pkcs12Path) == 0o600)
        #expect(try mode(created.passwordPath) == 0o600)
        let text = try Shell.run("openssl x509 -noout -text -in '\(created.certificatePath)'").output
        #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0"), "\(text)")
        #expect(text.contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign"))
        #expect(text.contains("X509v3 Subject Key Identifier"))
        #expect(text.contains("ASN1 OID: prime256v1"))
        let fingerprint = try Shell.run("openssl x509 -noout -fingerprint -sha256 -in '\(created.certificatePath)'")
        #expect(fingerprint.output == "sha256 Fingerprint=\(created.fingerprintSHA256)\n")
        let key = try Shell.run(
            "openssl pkey -in '\(created.keyPath)' -pubout && openssl x509 -noout -pubkey -in '\(created.certificatePath)'"
        )
        let halves = key.output.components(separatedBy: "-----END PUBLIC KEY-----\n")
        #expect(halves.count == 3 && halves[0] == halves[1], "ca.key is the certificate's key")
    }

    @Test func thePrintedInterceptBlockOpensTheCA() throws {
        let directory = Directory()
        let created = try AuthorityFiles.create(in: directory.path, force: false, hostName: "host")
        let yaml = created.instructions.components(separatedBy: "\n\n").first { $0.hasPrefix("intercept:") } ?? ""
        let configuration = try ConfigurationLoader.parse(
            yaml: yaml + "\n" + ConfigurationLoaderTests.minimal, source: directory.path + "/config.yaml",
            environment: [:])
        let authority = try CertificateAuthority.load(try #require(configuration.intercept).authority)
        #expect(authority.format == .pkcs12)
        #expect(authority.alias == AuthorityFiles.alias)
        #expect(authority.certificate.fingerprintSHA256 == created.fingerprintSHA256)
        let password = try String(contentsOfFile: created.passwordPath, encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        #expect(password.count == 43)
        #expect(!created.instructions.contains(password), "the password is never printed")
        for step in [
            "--cacert", "SSL_CERT_FILE=", "REQUESTS_CA_BUNDLE=", "NODE_EXTRA_CA_CERTS=", "keytool -importcert",
        ] {
            #expect(created.instructions.contains(step), "\(step)")
        }
        let keytool = try Shell.run(
            "keytool -list -keystore '\(created.pkcs12Path)' -storetype PKCS12 -storepass:file '\(created.passwordPath)'"
        )
        #expect(
            keytool.output.contains("\(AuthorityFiles.alias), ") && keytool.output.contains("PrivateKeyEntry"),
            "\(keytool.output)")
    }

    @Test func anExistingCAIsReplacedOnlyWithForce() throws {
        let directory = Directory()
        let first = try AuthorityFiles.create(in: directory.path, force: false, hostName: "host")
        #expect(
            throws: AuthorityFileError.exists(paths: [
                first.certificatePath, first.keyPath, first.pkcs12Path, first.passwordPath,
            ])
        ) {
            try AuthorityFiles.create(in: directory.path, force: false, hostName: "host")
        }
        let second = try AuthorityFiles.create(in: directory.path, force: true, hostName: "host")
        #expect(second.fingerprintSHA256 != first.fingerprintSHA256)
        #expect(try mode(second.keyPath) == 0o600)
    }

    @Test func aLinkWhereAFileGoesIsNotFollowed() throws {
        let directory = Directory()
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let target = directory.path + "/elsewhere"
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/ca.key", withDestinationPath: target)
        #expect(throws: AuthorityFileError.exists(paths: [directory.path + "/ca.key"])) {
            try AuthorityFiles.create(in: directory.path, force: false, hostName: "host")
        }
        _ = try AuthorityFiles.create(in: directory.path, force: true, hostName: "host")
        #expect(!FileManager.default.fileExists(atPath: target), "the link was replaced, not written through")
    }

    @Test func theCommonNameKeepsWithin64Characters() {
        let name = NewAuthority.commonName(hostName: String(repeating: "h", count: 100))
        #expect(name.count == 64)
        #expect(name.hasSuffix("hhh)"))
        #expect(NewAuthority.commonName(hostName: "") == "token-proxy local interception CA (unknown host)")
    }
}
