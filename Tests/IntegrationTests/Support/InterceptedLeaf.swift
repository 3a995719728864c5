// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The certificate token-proxy presents in an intercepted tunnel, as `openssl s_client -proxy`
/// received and verified it (against the CA, for the host), read back with `openssl x509`.
struct InterceptedLeaf {
    /// `X509v3 Subject Alternative Name` entries, e.g. `DNS:api.test`.
    let subjectAlternativeNames: [String]
    /// RFC 2253, as `openssl x509 -nameopt RFC2253` writes it.
    let issuer: String
    let notBefore: Date
    let notAfter: Date
    /// The protocol agreed by ALPN, nil when none was.
    let alpn: String?
    /// The TLS version agreed, as `TLSv1.3`.
    let protocolVersion: String?

    /// Opens `CONNECT host:port` through token-proxy on `proxyPort` and does a TLS handshake for `host`
    /// offering ALPN `h2,http/1.1` and only `tlsVersion` (`tls1_2`, `tls1_3`); throws unless the leaf
    /// verifies against `authority` for `host` (a DNS name or an IP address).
    static func fetch(
        proxyPort: Int, host: String, port: Int = 443, tlsVersion: String, trusting authority: URL
    ) async throws -> InterceptedLeaf {
        let isAddress = host.allSatisfy { $0.isNumber || $0 == "." }
        let session = try await ToolRun.output(
            of: "openssl",
            [
                "s_client", "-proxy", "127.0.0.1:\(proxyPort)", "-connect", "\(host):\(port)", "-\(tlsVersion)",
                "-CAfile", authority.path, "-verify_return_error", isAddress ? "-verify_ip" : "-verify_hostname", host,
                "-alpn", "h2,http/1.1",
            ] + (isAddress ? [] : ["-servername", host]))
        guard let begin = session.range(of: "-----BEGIN CERTIFICATE-----"),
            let end = session.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<session.endIndex)
        else { throw HarnessError.malformedResponse("openssl s_client showed no certificate:\n\(session)") }
        let scratch = try ScratchDirectory(prefix: "intercepted-leaf")
        let pem = scratch.file("leaf.pem")
        try String(session[begin.lowerBound..<end.upperBound]).appending("\n")
            .write(to: pem, atomically: true, encoding: .utf8)
        let fields = try await ToolRun.output(
            of: "openssl",
            [
                "x509", "-in", pem.path, "-noout", "-issuer", "-nameopt", "RFC2253", "-dates", "-dateopt", "iso_8601",
                "-ext", "subjectAltName",
            ])
        let lines = fields.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func value(_ prefix: String) throws -> String {
            guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else {
                throw HarnessError.malformedResponse("openssl x509 printed no \(prefix):\n\(fields)")
            }
            return String(line.dropFirst(prefix.count))
        }
        let names = lines.drop { !$0.hasPrefix("X509v3 Subject Alternative Name") }.dropFirst().first ?? ""
        let sessionLines = session.split(separator: "\n")
        let alpn = sessionLines.first { $0.hasPrefix("ALPN protocol: ") }?.dropFirst("ALPN protocol: ".count)
        // "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384"
        let version = sessionLines.first { $0.hasPrefix("New, ") }?.split(separator: ",").dropFirst().first
        return InterceptedLeaf(
            subjectAlternativeNames: names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            issuer: try value("issuer="), notBefore: try date(value("notBefore=")),
            notAfter: try date(value("notAfter=")), alpn: alpn.map(String.init),
            protocolVersion: version.map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// `2026-12-06 19:54:01Z`, as `-dateopt iso_8601` writes it.
    private static func date(_ text: String) throws -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        guard let date = formatter.date(from: text) else {
            throw HarnessError.malformedResponse("openssl's date \(text.debugDescription)")
        }
        return date
    }

    /// The subject of the certificate in `file` (RFC 2253), to compare with a leaf's issuer.
    static func subject(of file: URL) async throws -> String {
        let line = try await ToolRun.output(
            of: "openssl", ["x509", "-in", file.path, "-noout", "-subject", "-nameopt", "RFC2253"])
        return String(line.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("subject=".count))
    }
}
