// SPDX-License-Identifier: Apache-2.0
import Foundation

/// nginx serving HTTPS on a free port in front of a plain loopback service, such as the
/// authorization server, so that a peer without TLS of its own can be reached over HTTPS.
///
/// It stops when released.
final class TLSTerminator {
    let configuration: NginxConfiguration
    let nginx: ManagedProcess
    private let scratch: ScratchDirectory

    /// `https://127.0.0.1:<TLS port>`.
    var baseURL: String { "https://127.0.0.1:\(tlsPort)" }

    private var tlsPort: Int { configuration.tls?.port ?? 0 }

    /// Starts nginx for `servicePort` and returns once it listens.
    init(servicePort: Int, certificates: NginxConfiguration.Certificates) async throws {
        scratch = try ScratchDirectory(prefix: "tls-terminator")
        configuration = NginxConfiguration(
            port: try FreePort.allocate(),
            upstreamPort: servicePort,
            directory: scratch.url,
            tls: NginxConfiguration.TLSListener(port: try FreePort.allocate(), certificates: certificates)
        )
        nginx = try configuration.start(in: scratch)
        try await nginx.waitForPort(tlsPort)
    }
}
