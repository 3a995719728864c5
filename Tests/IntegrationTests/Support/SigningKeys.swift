// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Keys that sign client assertions, made with `openssl` and `keytool` once per
/// test run, shared by every test and removed when the test process exits.
///
/// An RSA and an EC P-256 key, each with a self-signed certificate, in JKS,
/// PKCS12 and PEM (certificate and encrypted PKCS#8 key) stores; a stranger EC
/// key the authorization server does not know; and the RSA key of a workload
/// identity platform that issues the JWTs `assertionFile` reads.
final class SigningKeys: Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case rsa, ec
    }

    /// The password of every store and of the PEM keys; `:` and a space test the YAML quoting.
    static let password = "sign:ing pass"
    /// The alias of the key in the JKS and PKCS12 stores.
    static let alias = "signer"

    let directory: URL

    static func shared() async throws -> SigningKeys {
        try await generation.value
    }

    private static let generation = Task { try await SigningKeys(directory: directoryURL) }

    private static let directoryURL = FileManager.default.temporaryDirectory
        .appendingPathComponent("token-proxy-signing-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)

    private init(directory: URL) async throws {
        self.directory = directory
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: SigningKeys.directoryURL) }
        try await ToolRun.output(
            of: "bash", ["-c", Self.script, "make-signing-keys", directory.path, Self.password], timeout: .seconds(90))
    }

    /// The key of `kind` in a store of `format`, as `auth.signingKeyStore` names it.
    func store(_ kind: Kind, _ format: TestPKI.StoreFormat) -> TestPKI.Store {
        switch format {
        case .jks: TestPKI.Store(path: file("\(kind.rawValue).jks"), password: Self.password)
        case .pkcs12: TestPKI.Store(path: file("\(kind.rawValue).p12"), password: Self.password)
        case .pem: TestPKI.Store(path: file("\(kind.rawValue)-store.pem"), password: Self.password)
        }
    }

    /// The certificate of `kind`'s key: what the client registered at the authorization server.
    func certificate(_ kind: Kind) -> URL {
        file("\(kind.rawValue).pem")
    }

    /// The subject of `kind`'s certificate as `check` prints it.
    static func subject(_ kind: Kind) -> String {
        "CN=token-proxy-signer-\(kind.rawValue)"
    }

    /// An unencrypted EC key nobody registered.
    var strangerKey: TestPKI.Store {
        TestPKI.Store(path: file("stranger.key"), password: nil)
    }

    /// The workload identity platform's public key, which the authorization server trusts.
    var issuerCertificate: URL {
        file("issuer.pem")
    }

    /// A JWT the platform would write for `subject`, signed RS256 with its key.
    func federatedToken(subject: String, audience: String, lifetime: Int = 3600) async throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        let claims =
            #"{"iss":"https://platform.test","sub":"\#(subject)","aud":"\#(audience)","iat":\#(now),"exp":\#(now + lifetime)}"#
        let signing = #"""
            set -euo pipefail
            b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
            input="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url).$(printf '%s' "$2" | b64url)"
            printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst -sha256 -sign "$1/issuer.key" | b64url)"
            """#
        return try await ToolRun.output(of: "bash", ["-c", signing, "sign", directory.path, claims])
    }

    private func file(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    /// `bash -c script make-signing-keys DIRECTORY PASSWORD`.
    private static let script = #"""
        set -euo pipefail
        cd "$1"
        pass="$2"
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out stranger.key
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out issuer.key
        openssl req -x509 -new -key issuer.key -subj "/CN=platform.test" -days 2 -out issuer.pem
        for kind in rsa ec; do
          openssl req -x509 -new -key $kind.key -subj "/CN=token-proxy-signer-$kind" -days 2 -out $kind.pem
          openssl pkcs12 -export -in $kind.pem -inkey $kind.key -name signer -out $kind.p12 -passout "pass:$pass"
          keytool -importkeystore -noprompt -srckeystore $kind.p12 -srcstoretype PKCS12 -srcstorepass "$pass" \
            -destkeystore $kind.jks -deststoretype JKS -deststorepass "$pass"
          openssl pkcs8 -topk8 -v2 aes-256-cbc -in $kind.key -passout "pass:$pass" -out $kind.encrypted.key
          cat $kind.pem $kind.encrypted.key > $kind-store.pem
        done
        """#
}
