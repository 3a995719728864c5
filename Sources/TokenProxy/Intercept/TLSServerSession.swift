// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// The server side of one intercepted tunnel's TLS, presenting the host's leaf.
///
/// libssl works on memory buffers here: the connection hands it the client's
/// ciphertext (`receive`), drives it (`handshake`, `read`, `write`, `shutdown`)
/// and sends what `takeOutput` gives back, so the socket, its readiness and its
/// backpressure stay the connection's. Output grows with every call that makes
/// some, so take it after each.
///
/// Owned by one client connection and used on its loop only. The handshake's
/// end is counted in `token_proxy_tls_handshakes_total{result}`.
final class TLSServerSession {
    /// What the handshake came to, so far.
    enum Handshake: Equatable {
        case completed(Established)
        /// Send the output, then wait for more of the client's bytes.
        case needsInput
    }

    /// The negotiated connection: `TLSv1.2` or `TLSv1.3`, and `http/1.1` when the client offered ALPN.
    struct Established: Equatable {
        let protocolVersion: String
        let applicationProtocol: String?
    }

    /// What a read came to.
    enum Read: Equatable {
        /// This many bytes of plaintext are in the buffer.
        case plaintext(Int)
        case needsInput
        /// The client sent close_notify: no more requests come.
        case closed
    }

    private let endpoint: OpaquePointer
    private var handshakeCounted = false

    /// Nil when libssl cannot make the session, which only memory exhaustion causes.
    init?(context: TLSServerContext, leaf: LeafCertificate) {
        guard let endpoint = context.withHandle({ tp_tls_endpoint_new($0, 1) }) else {
            _ = LibCrypto.takeFailure()
            return nil
        }
        self.endpoint = endpoint
        let ssl = tp_tls_endpoint_ssl(endpoint)
        let presented =
            leaf.certificate.withHandle { SSL_use_certificate(ssl, $0) } == 1
            && leaf.key.withHandle { SSL_use_PrivateKey(ssl, $0) } == 1
        _ = LibCrypto.takeFailure()
        guard presented else { return nil }
    }

    deinit {
        tp_tls_endpoint_free(endpoint)
    }

    /// Hands libssl ciphertext the client sent.
    func receive(_ ciphertext: UnsafeRawBufferPointer) {
        let taken = tp_tls_endpoint_receive(
            endpoint, ciphertext.baseAddress?.assumingMemoryBound(to: UInt8.self), ciphertext.count)
        // A memory buffer refuses bytes only when memory runs out.
        precondition(taken == 1, "libssl's input buffer refused \(ciphertext.count) bytes")
    }

    /// Runs the handshake as far as the bytes received allow.
    func handshake() throws(TLSHandshakeFailure) -> Handshake {
        switch tp_tls_endpoint_handshake(endpoint) {
        case TP_TLS_OK:
            _ = LibCrypto.takeFailure()
            countHandshake("completed")
            return .completed(established)
        case TP_TLS_WANT_INPUT:
            return .needsInput
        default:
            let failure = TLSHandshakeFailure(
                clientAlert: alert(received: true), serverAlert: alert(received: false),
                reason: LibCrypto.takeFailure().text)
            countHandshake(failure.label)
            throw failure
        }
    }

    /// Decrypts plaintext into `buffer`, at most one record's worth per call.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TLSSessionFailure) -> Read {
        var count = 0
        let status = tp_tls_endpoint_read(
            endpoint, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count, &count)
        switch status {
        case TP_TLS_OK: return .plaintext(count)
        case TP_TLS_WANT_INPUT: return .needsInput
        case TP_TLS_CLOSED: return .closed
        default: throw failure()
        }
    }

    /// Encrypts all of `plaintext` into the output.
    func write(_ plaintext: UnsafeRawBufferPointer) throws(TLSSessionFailure) {
        let status = tp_tls_endpoint_write(
            endpoint, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), plaintext.count)
        guard status == TP_TLS_OK else { throw failure() }
    }

    /// Queues close_notify, after which the connection may close once the output is sent.
    func shutdown() {
        tp_tls_endpoint_shutdown(endpoint)
        _ = LibCrypto.takeFailure()
    }

    /// Bytes of ciphertext waiting to be sent.
    var pendingOutput: Int { tp_tls_endpoint_pending_output(endpoint) }

    /// Moves waiting ciphertext into `buffer`; returns how many bytes.
    func takeOutput(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        tp_tls_endpoint_take_output(endpoint, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count)
    }

    private var established: Established {
        let ssl = tp_tls_endpoint_ssl(endpoint)
        var protocolName: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &protocolName, &length)
        let applicationProtocol = protocolName.map {
            String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
        }
        return Established(
            protocolVersion: String(cString: SSL_get_version(ssl)),
            applicationProtocol: length == 0 ? nil : applicationProtocol)
    }

    /// The RFC 8446 name of an alert ("unknown CA" from libssl becomes `unknown_ca`).
    private func alert(received: Bool) -> String? {
        let description = tp_tls_endpoint_alert(endpoint, received ? 1 : 0)
        guard description >= 0, let text = SSL_alert_desc_string_long(description) else { return nil }
        return String(cString: text).lowercased().replacingOccurrences(of: " ", with: "_")
    }

    private func failure() -> TLSSessionFailure {
        let received = alert(received: true).map { "the client sent the alert \($0); " } ?? ""
        return TLSSessionFailure(reason: received + LibCrypto.takeFailure().text)
    }

    private func countHandshake(_ result: String) {
        guard !handshakeCounted else { return }
        handshakeCounted = true
        ProxyMetrics.tlsHandshakeEnded(result: result)
    }
}

@available(*, unavailable)
extension TLSServerSession: Sendable {}
