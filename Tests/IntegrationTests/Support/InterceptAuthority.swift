// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A local CA made by `token-proxy ca init`, as a user makes one, in a scratch
/// directory of its own; removed when released.
final class InterceptAuthority: Sendable {
    /// `ca.pem`: what client apps trust.
    let certificate: URL
    /// The `intercept:` block `ca init` printed, ready to paste at the top level of a configuration.
    let interceptBlock: String
    private let scratch: ScratchDirectory

    init() async throws {
        scratch = try ScratchDirectory(prefix: "intercept-authority")
        let directory = scratch.file("ca").path
        let created = try await TokenProxyProcess.run(["ca", "init", "--out", directory])
        guard created.exit == .exited(0),
            let block = created.stdout.components(separatedBy: "\n\n").first(where: { $0.hasPrefix("intercept:") })
        else {
            throw HarnessError.commandFailed(command: "token-proxy ca init", stderr: created.stdout + created.stderr)
        }
        certificate = URL(fileURLWithPath: directory + "/ca.pem")
        interceptBlock = block
    }

    /// A PKCS12 trust store holding the CA certificate, made with `keytool -importcert` as a Java user makes one.
    func javaTrustStore() async throws -> (path: URL, password: String) {
        let store = scratch.file("truststore-\(UUID().uuidString.prefix(8)).p12")
        let password = "changeit"
        try await ToolRun.output(
            of: "keytool",
            [
                "-importcert", "-noprompt", "-alias", "token-proxy-ca", "-file", certificate.path, "-keystore",
                store.path, "-storetype", "PKCS12", "-storepass", password,
            ])
        return (store, password)
    }
}
