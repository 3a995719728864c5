// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// The libssl settings every intercepted tunnel of one CA shares (an `SSL_CTX`):
/// TLS 1.2 and 1.3, no renegotiation, ALPN `http/1.1`. `h2` is not offered: the
/// tunnel serves HTTP/1.1 with the same parser as plain requests.
///
/// Immutable once built; libssl counts its references under a lock, so the
/// sessions of every loop may share it.
final class TLSServerContext: @unchecked Sendable {
    private let context: OpaquePointer

    /// Nil when libssl cannot make one, which only a broken installation causes.
    init?() {
        guard let context = LibCrypto.checked(tp_tls_server_context_new()) else { return nil }
        self.context = context
    }

    deinit {
        SSL_CTX_free(context)
    }

    func withHandle<Result>(_ body: (OpaquePointer) -> Result) -> Result {
        body(context)
    }
}
