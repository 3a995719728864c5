// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// A trust store's certificates as one libcrypto `X509_STORE`, built once and
/// installed on each new TLS connection of the routes that use it, which then
/// neither parses the certificates again nor needs them in a curl option.
///
/// Immutable once built; libcrypto counts its references under a lock, so TLS
/// connections on every loop may share it.
final class TrustAnchors: @unchecked Sendable {
    private let store: OpaquePointer

    /// Nil when libcrypto refuses one of the certificates.
    init?(certificates: [X509Certificate]) {
        guard let store = X509_STORE_new() else { return nil }
        self.store = store
        // As curl does with its own store: any certificate in it anchors a chain, an
        // intermediate or a server's own, as Java trust stores allow too.
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        guard certificates.allSatisfy({ $0.addAsAnchor(to: store) }) else { return nil }
    }

    deinit {
        X509_STORE_free(store)
    }

    /// Makes a new connection's `SSL_CTX` verify its peer against these anchors, and only these.
    func install(on sslContext: UnsafeMutableRawPointer) {
        SSL_CTX_set1_cert_store(OpaquePointer(sslContext), store)
    }
}
