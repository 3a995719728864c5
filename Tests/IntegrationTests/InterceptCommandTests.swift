// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `token-proxy ca init` and `check` with an `intercept` CA, as a user runs them.
@Suite("Intercept: ca init and check")
struct InterceptCommandTests {
    private static func configuration(intercept: String) -> String {
        """
        routes:
          - name: api
            upstream: https://api.example.test
            proxy: {type: none}
        """ + "\n" + intercept
    }

    /// The `intercept:` block `ca init` printed, up to the blank line after it.
    private static func interceptBlock(in output: String) throws -> String {
        try #require(output.components(separatedBy: "\n\n").first { $0.hasPrefix("intercept:") })
    }

    @Test func caInitWritesACAThatCheckShowsWithItsFingerprint() async throws {
        let scratch = try ScratchDirectory(prefix: "intercept-ca")
        let directory = scratch.file("ca").path

        let created = try await TokenProxyProcess.run(["ca", "init", "--out", directory])

        #expect(created.exit == .exited(0), "\(created.stderr)")
        let password = try String(contentsOfFile: directory + "/ca.p12.password", encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        #expect(!(created.stdout + created.stderr).contains(password), "the PKCS12 password is never printed")
        #expect(created.stdout.contains("NODE_EXTRA_CA_CERTS=\(directory)/ca.pem"))
        let openssl = try await ToolRun.output(
            of: "openssl", ["x509", "-in", directory + "/ca.pem", "-noout", "-fingerprint", "-sha256", "-enddate"])
        let fingerprint = try #require(openssl.split(separator: "\n").first?.split(separator: "=").last)

        let check = try await TokenProxyProcess.run(
            ["check"], configuration: Self.configuration(intercept: try Self.interceptBlock(in: created.stdout)))

        #expect(check.exit == .exited(0), "\(check.stderr)")
        let lines = check.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("intercept CA \(directory)/ca.p12 (PKCS12)") })
        #expect(lines[header].contains("'token-proxy-ca': O=token-proxy,CN=token-proxy local interception CA ("))
        #expect(lines[header].contains("expires 20"), "\(lines[header])")
        #expect(lines[header + 1] == "  SHA-256 fingerprint \(fingerprint)")
        #expect(!check.stdout.contains("warning"), "\(check.stdout)")
        #expect(!(check.stdout + check.stderr).contains(password))

        let again = try await TokenProxyProcess.run(["ca", "init", "--out", directory])
        #expect(again.exit == .exited(1))
        #expect(again.stderr.contains("\(directory)/ca.pem"), "\(again.stderr)")
        #expect(again.stderr.contains("pass --force"), "\(again.stderr)")
    }

    @Test func checkWarnsOfACAThatExpiresWithin30Days() async throws {
        let scratch = try ScratchDirectory(prefix: "intercept-soon")
        let key = scratch.file("ca.key").path, certificate = scratch.file("ca.crt").path
        try await ToolRun.output(
            of: "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                "-subj", "/CN=Short-lived CA", "-days", "10", "-addext", "basicConstraints=critical,CA:TRUE",
                "-out", certificate,
            ])
        let identity = scratch.file("ca-identity.pem")
        try Data(try Data(contentsOf: URL(fileURLWithPath: certificate)) + Data(contentsOf: URL(fileURLWithPath: key)))
            .write(to: identity)

        let check = try await TokenProxyProcess.run(
            ["check"], configuration: Self.configuration(intercept: "intercept: {ca: {keyStore: \(identity.path)}}"))

        #expect(check.exit == .exited(0), "\(check.stderr)")
        #expect(check.stdout.contains("intercept CA \(identity.path) (PEM): CN=Short-lived CA"), "\(check.stdout)")
        #expect(
            check.stdout.contains("  warning: intercept CA CN=Short-lived CA in \(identity.path) expires on"),
            "\(check.stdout)")
    }

    @Test func checkRefusesAKeyStoreThatHoldsNoCA() async throws {
        let pki = try await TestPKI.shared()
        let store = pki.keyStore(.pkcs12)
        let intercept = """
            intercept:
              ca:
                keyStore: \(store.path.path)
                keyStorePassword: "\(store.password ?? "")"
            """
        let result = try await TokenProxyProcess.run(["check"], configuration: Self.configuration(intercept: intercept))

        #expect(result.exit == .exited(1))
        #expect(result.stderr.contains("\(store.path.path)"), "\(result.stderr)")
        #expect(result.stderr.contains("is not a CA certificate"), "\(result.stderr)")
        #expect(try pki.leakedSecrets(in: result.stdout + result.stderr).isEmpty)
    }
}
