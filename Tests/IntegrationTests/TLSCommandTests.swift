// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `token-proxy check`, `serve` start-up and `token` with the stores a Java user is handed.
@Suite("TLS: check, start-up and token commands")
struct TLSCommandTests {
    private static func configuration(
        trustStore: TestPKI.Store, keyStore: TestPKI.Store? = nil,
        authentication: TLSRouteConfiguration.Authentication = .staticToken("check-token")
    ) throws -> String {
        TLSRouteConfiguration(
            listenPort: try FreePort.allocate(), upstream: "https://127.0.0.1:9", authentication: authentication,
            trustStore: trustStore, keyStore: keyStore
        ).rendered()
    }

    @Test func checkDescribesJKSStoresAndTheChosenClientCertificate() async throws {
        let pki = try await TestPKI.shared()
        let trustStore = pki.trustStore(.jks), keyStore = pki.keyStore(.jks)

        let result = try await TokenProxyProcess.run(
            ["check"], configuration: try Self.configuration(trustStore: trustStore, keyStore: keyStore))

        #expect(result.exit == .exited(0), "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let trustHeader = try #require(lines.firstIndex { $0.contains("trust store \(trustStore.path.path)") })
        #expect(lines[trustHeader].contains("(JKS)"))
        #expect(lines[trustHeader].contains("1 certificate"))
        let authority = lines[trustHeader + 1]
        #expect(authority.contains("\(TestPKI.authorityAlias): \(TestPKI.authoritySubject)"), "\(authority)")
        #expect(authority.contains("expires \(try pki.authorityExpiry().formatted(.iso8601))"), "\(authority)")
        let keyHeader = try #require(lines.firstIndex { $0.contains("key store \(keyStore.path.path)") })
        #expect(lines[keyHeader].contains("(JKS)"))
        #expect(lines[keyHeader].contains("client certificate '\(TestPKI.clientAlias)'"), "\(lines[keyHeader])")
        let leaf = try #require(lines.dropFirst(keyHeader + 1).first)
        #expect(leaf.contains(TestPKI.clientSubject), "the leaf first: \(leaf)")
        #expect(leaf.contains("issuer \(TestPKI.authoritySubject)"))
        #expect(leaf.contains("expires \(try pki.clientCertificateExpiry().formatted(.iso8601))"))
        #expect(try pki.leakedSecrets(in: result.stdout + result.stderr).isEmpty)
    }

    /// A password a user could get wrong, and the words `check` must use for it.
    enum WrongPassword: CaseIterable, Sendable {
        case trustStore, keyStore, key

        var expectedWords: String {
            self == .key ? "the key password is wrong" : "the store password is wrong"
        }
    }

    /// `check` reports it offline; `serve` refuses to start with it.
    @Test(arguments: WrongPassword.allCases, ["check", "serve"])
    func aWrongPasswordIsReportedWithTheFileAndNotThePassword(_ wrong: WrongPassword, command: String) async throws {
        let pki = try await TestPKI.shared()
        let wrongPassword = "wr0ng-Pass"
        var trustStore = pki.trustStore(.jks), keyStore = pki.keyStore(.jks)
        switch wrong {
        case .trustStore: trustStore = TestPKI.Store(path: trustStore.path, password: wrongPassword)
        case .keyStore: keyStore = TestPKI.Store(path: keyStore.path, password: wrongPassword, keyPassword: nil)
        case .key: keyStore.keyPassword = wrongPassword
        }

        let result = try await TokenProxyProcess.run(
            [command], configuration: try Self.configuration(trustStore: trustStore, keyStore: keyStore))

        #expect(result.exit == .exited(1))
        let file = wrong == .trustStore ? trustStore.path.path : keyStore.path.path
        #expect(result.stderr.contains(file), "\(result.stderr)")
        #expect(result.stderr.contains(wrong.expectedWords), "\(result.stderr)")
        #expect(
            try pki.leakedSecrets(in: result.stdout + result.stderr, others: ["wrong password": wrongPassword])
                .isEmpty)
    }

    /// keytool gave the JKS key its own password; without `tls.keyPassword` the store password cannot decrypt it.
    @Test func checkWithoutTheKeyPasswordSaysToSetIt() async throws {
        let pki = try await TestPKI.shared()
        var keyStore = pki.keyStore(.jks)
        keyStore.keyPassword = nil

        let result = try await TokenProxyProcess.run(
            ["check"], configuration: try Self.configuration(trustStore: pki.trustStore(.jks), keyStore: keyStore))

        #expect(result.exit == .exited(1))
        #expect(result.stderr.contains("\"\(TestPKI.clientAlias)\" in \(keyStore.path.path)"), "\(result.stderr)")
        #expect(result.stderr.contains("set tls.keyPassword"), "\(result.stderr)")
        #expect(try pki.leakedSecrets(in: result.stdout + result.stderr).isEmpty)
    }

    @Test func tokenCommandUsesTheTrustStoreAndKeyStoreOverHTTPS() async throws {
        let pki = try await TestPKI.shared()
        let server = try await HTTPSAuthorizationServer(pki: pki, requiringClientCertificate: true)

        let result = try await TokenProxyProcess.run(
            ["token"],
            configuration: try Self.configuration(
                trustStore: pki.trustStore(.pkcs12), keyStore: pki.keyStore(.jks),
                authentication: server.authentication))

        #expect(result.exit == .exited(0), "\(result.stderr)")
        let issued = try server.server.stats().issuedTokens.map(\.accessToken)
        #expect(issued.count == 1)
        #expect(result.stdout == (issued.first ?? "-") + "\n", "the token alone")
        let verification = try await server.terminator.configuration.clientVerifications()
        #expect(verification.first?.verification == "SUCCESS")
        #expect(verification.first?.subject == TestPKI.clientSubject)
        #expect(
            try pki.leakedSecrets(
                in: result.stdout + result.stderr,
                others: ["client secret": server.server.clientSecret]
            ).isEmpty)
        #expect(!result.stderr.contains(issued.first ?? "-"), "the token goes to stdout only")
    }
}
