// SPDX-License-Identifier: Apache-2.0

/// Why an intercepted tunnel's TLS handshake failed, for the one log line per
/// connection and the `token_proxy_tls_handshakes_total` metric.
struct TLSHandshakeFailure: Error, Equatable, CustomStringConvertible {
    /// The alert the client ended the handshake with, as RFC 8446 names it: `unknown_ca`,
    /// `bad_certificate` or `certificate_unknown` mean it does not trust the CA.
    let clientAlert: String?
    /// The alert token-proxy sent because of the client's messages (`protocol_version`, `handshake_failure`).
    let serverAlert: String?
    /// What libssl reported, such as "wrong version number" when the bytes are not TLS.
    let reason: String

    /// A bounded label: the alert's name, or `failed`.
    var label: String { clientAlert ?? serverAlert ?? "failed" }

    var description: String {
        if let clientAlert {
            let hint = Self.distrustAlerts.contains(clientAlert) ? " (the client does not trust the intercept CA)" : ""
            return "the client ended the TLS handshake with the alert \(clientAlert)\(hint)"
        }
        let alert = serverAlert.map { ", sent the alert \($0)" } ?? ""
        return "TLS handshake failed\(alert): \(reason)"
    }

    /// The alerts with which TLS clients report a certificate they cannot verify.
    static let distrustAlerts: Set = ["unknown_ca", "bad_certificate", "certificate_unknown"]
}

/// A TLS record that could not be read or written after the handshake (a damaged
/// or forged record, an alert from the client).
struct TLSSessionFailure: Error, Equatable, CustomStringConvertible {
    let reason: String

    var description: String { "TLS failed: \(reason)" }
}
