// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// A private CA made with `openssl` for the TLS tests, the certificates it
/// issued, and the stores a user would be handed, made with `keytool` and `openssl`.
///
/// The CA "token-proxy Test CA" signs a server certificate for `127.0.0.1` and
/// `localhost` (nginx's) and the client certificate "token-proxy-client"
/// (token-proxy's); a second CA issued nothing. The first CA is in trust stores
/// as JKS and PKCS12 (keytool's certificate-only kind) and PEM; the client key
/// and chain are in key stores as JKS (key password differing from the store
/// password), PKCS12 and PEM (an encrypted PKCS#8 key). EC P-256 keeps
/// generation to a second or two.
///
/// Generated once per test run, shared by every test, removed when the test process exits.
final class TestPKI: Sendable {
    /// How a store is encoded; each is a separate file with the same contents.
    enum StoreFormat: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case jks, pkcs12, pem

        var testDescription: String { rawValue.uppercased() }
    }

    /// A store as a route's `tls.*` names it.
    struct Store: Sendable {
        let path: URL
        let password: String?
        /// `tls.keyPassword`, when the key's password is not the store's.
        var keyPassword: String?
    }

    /// The password of every store and of the encrypted PEM key; `:` and a space test the YAML quoting.
    static let storePassword = "st0re: Pass"
    /// The password of the JKS store's private key entry.
    static let keyPassword = "k3y-Pass"
    /// The client certificate's subject as nginx's `$ssl_client_s_dn` writes it (RFC 2253).
    static let clientSubject = "CN=token-proxy-client,O=token-proxy tests"
    static let authoritySubject = "CN=token-proxy Test CA,O=token-proxy tests"
    /// The alias of the client key in the JKS and PKCS12 key stores.
    static let clientAlias = "client"
    /// The alias of the CA certificate in the JKS and PKCS12 trust stores.
    static let authorityAlias = "testca"

    let directory: URL

    /// The run's PKI, generated on first use.
    static func shared() async throws -> TestPKI {
        try await generation.value
    }

    private static let generation = Task { try await TestPKI(directory: directoryURL) }

    /// Per process, so concurrent test runs keep apart; a fixed path lets `atexit` remove it.
    private static let directoryURL = FileManager.default.temporaryDirectory
        .appendingPathComponent("token-proxy-pki-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)

    private init(directory: URL) async throws {
        self.directory = directory
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestPKI.directoryURL) }
        let scratch = try ScratchDirectory(prefix: "pki-script")
        let script = try ManagedProcess(
            name: "make-pki", executable: try Fixtures.tool("bash"),
            arguments: ["-c", Self.script, "make-pki", directory.path, Self.storePassword, Self.keyPassword],
            scratch: scratch)
        let exit = try await DedicatedThread.run { script.waitForExit(timeout: .seconds(60)) }
        guard exit == .exited(0) else {
            script.stop()
            throw GenerationFailed(exit: exit, stderr: script.errorOutput())
        }
    }

    /// The openssl and keytool script failed or hung.
    struct GenerationFailed: Error, CustomStringConvertible {
        let exit: ManagedProcess.Exit?
        let stderr: String

        var description: String {
            let outcome = exit.map(\.description) ?? "a timeout"
            return "making the test PKI with openssl and keytool ended with \(outcome):\n\(stderr)"
        }
    }

    /// nginx's certificate and key; with `requiringClientCertificate`, nginx accepts only clients this CA certified.
    func serverCertificates(requiringClientCertificate: Bool = false) -> NginxConfiguration.Certificates {
        NginxConfiguration.Certificates(
            certificate: file("server.pem"), privateKey: file("server.key"),
            clientCertificateAuthorities: requiringClientCertificate ? file("ca.pem") : nil)
    }

    /// The CA certificate alone.
    func trustStore(_ format: StoreFormat) -> Store {
        switch format {
        case .jks: Store(path: file("truststore.jks"), password: Self.storePassword)
        case .pkcs12: Store(path: file("truststore.p12"), password: Self.storePassword)
        case .pem: Store(path: file("ca.pem"), password: nil)
        }
    }

    /// A CA certificate that issued none of the test's certificates, as PEM.
    func unrelatedTrustStore() -> Store {
        Store(path: file("other-ca.pem"), password: nil)
    }

    /// PEM stores written one after another into one PEM file in `scratch`, in the order given.
    func bundle(of stores: [Store], in scratch: ScratchDirectory) throws -> Store {
        let path = scratch.file("bundle-\(stores.count).pem")
        try Data(stores.map { try Data(contentsOf: $0.path) }.joined()).write(to: path)
        return Store(path: path, password: nil)
    }

    /// The client key with its certificate chain.
    func keyStore(_ format: StoreFormat) -> Store {
        switch format {
        case .jks: Store(path: file("keystore.jks"), password: Self.storePassword, keyPassword: Self.keyPassword)
        case .pkcs12: Store(path: file("keystore.p12"), password: Self.storePassword)
        case .pem: Store(path: file("keystore.pem"), password: Self.storePassword)
        }
    }

    /// When the client certificate expires, as `openssl` reads it.
    func clientCertificateExpiry() throws -> Date {
        try expiry(recordedIn: "client.enddate")
    }

    /// When the CA certificate expires, as `openssl` reads it.
    func authorityExpiry() throws -> Date {
        try expiry(recordedIn: "ca.enddate")
    }

    private func expiry(recordedIn name: String) throws -> Date {
        let line = try String(contentsOf: file(name), encoding: .utf8)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "'notAfter='MMM d HH:mm:ss yyyy 'GMT'"
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "  ", with: " ")
        guard let date = formatter.date(from: text) else {
            throw HarnessError.malformedResponse("openssl's end date \(line.debugDescription)")
        }
        return date
    }

    /// Which of the run's secrets, and of `others` (by label), appear in `text`:
    /// the passwords and the private keys' Base64 lines.
    ///
    /// Returns labels, never the secrets, so that a failing assertion does not print them either.
    func leakedSecrets(in text: String, others: [String: String] = [:]) throws -> [String] {
        var secrets = others.merging(["store password": Self.storePassword, "key password": Self.keyPassword]) { $1 }
        for name in ["client.key", "server.key", "ca.key", "other-ca.key"] {
            let pem = try String(contentsOf: file(name), encoding: .utf8)
            for (index, line) in pem.split(separator: "\n").enumerated() where !line.hasPrefix("-----") {
                secrets["\(name) line \(index)"] = String(line)
            }
        }
        var leaked = secrets.filter { text.contains($0.value) }.map(\.key)
        if text.contains("PRIVATE KEY") { leaked.append("a PEM private key block") }
        return leaked.sorted()
    }

    private func file(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    /// `bash -c script make-pki DIRECTORY STORE-PASSWORD KEY-PASSWORD`.
    private static let script = #"""
        set -euo pipefail
        cd "$1"
        pass="$2" keypass="$3"
        ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
        issue() { # subject key certificate extensions
          openssl req -new -key "$2" -subj "$1" -out "$3.csr"
          printf '%s\n' "$4" > "$3.ext"
          openssl x509 -req -in "$3.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -sha256 \
            -extfile "$3.ext" -out "$3"
        }
        ec ca.key
        openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/O=token-proxy tests/CN=token-proxy Test CA" \
          -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out ca.pem
        ec other-ca.key
        openssl req -x509 -new -key other-ca.key -sha256 -days 2 -subj "/CN=Unrelated Test CA" \
          -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out other-ca.pem
        ec server.key
        issue /CN=localhost server.key server.pem \
          $'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'
        ec client.key
        issue "/O=token-proxy tests/CN=token-proxy-client" client.key client.pem extendedKeyUsage=clientAuth
        openssl x509 -enddate -noout -in client.pem > client.enddate
        openssl x509 -enddate -noout -in ca.pem > ca.enddate
        openssl pkcs12 -export -in client.pem -inkey client.key -certfile ca.pem -name client \
          -out keystore.p12 -passout "pass:$pass"
        openssl pkcs8 -topk8 -v2 aes-256-cbc -in client.key -passout "pass:$pass" -out client.encrypted.key
        cat client.pem ca.pem client.encrypted.key > keystore.pem
        keytool -importcert -noprompt -alias testca -file ca.pem \
          -keystore truststore.jks -storetype JKS -storepass "$pass" & jks=$!
        keytool -importcert -noprompt -alias testca -file ca.pem \
          -keystore truststore.p12 -storetype PKCS12 -storepass "$pass" & p12=$!
        keytool -importkeystore -noprompt -srckeystore keystore.p12 -srcstoretype PKCS12 -srcstorepass "$pass" \
          -srcalias client -destalias client -destkeystore keystore.jks -deststoretype JKS \
          -deststorepass "$pass" -destkeypass "$keypass"
        # One by one: a bare `wait` would not report a failed keytool.
        wait $jks
        wait $p12
        rm -f ./*.csr ./*.ext ./*.srl
        """#
}
