// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A self-signed certificate for `127.0.0.1` and its key, made with `openssl`:
/// nginx's certificate for a TLS upstream, and at the same time the PEM trust
/// store (`tls.trustStore`) that lets token-proxy verify it.
///
/// The files are removed when this object is released.
final class LoopbackCertificate: Sendable {
    let certificate: URL
    let privateKey: URL
    private let scratch: ScratchDirectory

    init() async throws {
        scratch = try ScratchDirectory(prefix: "loopback-certificate")
        certificate = scratch.file("certificate.pem")
        privateKey = scratch.file("key.pem")
        try await ToolRun.output(
            of: "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", privateKey.path, "-out", certificate.path,
            ])
    }

    /// nginx's TLS listener settings for this certificate.
    var nginxCertificates: NginxConfiguration.Certificates {
        NginxConfiguration.Certificates(certificate: certificate, privateKey: privateKey)
    }
}
