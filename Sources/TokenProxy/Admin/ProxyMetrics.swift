// SPDX-License-Identifier: Apache-2.0
import CoreMetrics
import Foundation

/// The metrics token-proxy emits through swift-metrics, besides the per-request
/// ones (`RequestMetrics`); the executable exports them in Prometheus format on
/// the admin listener. Label values come from
/// bounded sets only: route names, status codes, short error labels.
enum ProxyMetrics {
    /// A token request ended (`token_proxy_token_fetches_total`); on success
    /// `token_proxy_token_expiry_seconds` is the token's expiry as a Unix time.
    static func tokenFetched(route: String, result: String, expiresAt: Date?) {
        Counter(label: "token_proxy_token_fetches_total", dimensions: [("route", route), ("result", result)])
            .increment()
        if let expiresAt {
            Gauge(label: "token_proxy_token_expiry_seconds", dimensions: [("route", route)])
                .record(expiresAt.timeIntervalSince1970)
        }
    }

    /// An intercepted tunnel's TLS handshake ended (`token_proxy_tls_handshakes_total{result}`):
    /// `completed`, or the alert that ended it (`unknown_ca` when the client distrusts the CA), or `failed`.
    static func tlsHandshakeEnded(result: String) {
        Counter(label: "token_proxy_tls_handshakes_total", dimensions: [("result", result)]).increment()
    }

    /// Client connections open now (`token_proxy_client_connections`).
    static func clientConnectionsChanged(by delta: Int) {
        Meter(label: "token_proxy_client_connections").increment(by: Double(delta))
    }

    /// Bytes read from and written to client apps (`token_proxy_client_bytes_total{direction}`).
    static func clientBytes(received: Int, sent: Int) {
        Counter(label: "token_proxy_client_bytes_total", dimensions: [("direction", "in")]).increment(by: received)
        Counter(label: "token_proxy_client_bytes_total", dimensions: [("direction", "out")]).increment(by: sent)
    }
}
