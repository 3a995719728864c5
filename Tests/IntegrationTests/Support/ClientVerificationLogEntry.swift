// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One line of nginx's client verification log (`NginxConfiguration.clientVerificationLog`):
/// how nginx judged the certificate a TLS client presented for one request.
struct ClientVerificationLogEntry: Equatable, Sendable {
    /// `$ssl_client_verify`: `SUCCESS`, `NONE` (no certificate) or `FAILED:<reason>`.
    let verification: String
    /// `$ssl_client_s_dn`, RFC 2253; `-` without a certificate.
    let subject: String
    /// The request line.
    let request: String

    /// Parses a tab-separated line; nil for anything else.
    init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3 else { return nil }
        verification = fields[0]
        subject = fields[1]
        request = fields[2]
    }
}

extension NginxConfiguration {
    /// The client verification log so far; waits up to `timeout` until it has at least `count` lines.
    ///
    /// nginx logs after the response's last byte, so the client may be a moment ahead of the log.
    func clientVerifications(
        atLeast count: Int = 1, timeout: Duration = .seconds(5)
    ) async throws -> [ClientVerificationLogEntry] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = (try? String(contentsOf: clientVerificationLog, encoding: .utf8)) ?? ""
            let entries = text.split(separator: "\n").compactMap(ClientVerificationLogEntry.init(line:))
            if entries.count >= count || ContinuousClock.now >= deadline { return entries }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// nginx's error log, where it notes at `info` level why it refused a client.
    func errorLogText() -> String {
        (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
    }
}
