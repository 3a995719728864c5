// SPDX-License-Identifier: Apache-2.0
import CCrypto
import Foundation

@testable import TokenProxy

/// An OpenSSL TLS client over memory buffers, driven by hand against a `TLSServerSession`
/// in the same process: the same C endpoint as the server's, on the client side.
final class TLSTestClient {
    private let context: OpaquePointer
    private let endpoint: OpaquePointer

    /// - Parameters:
    ///   - anchor: the only CA it trusts; nil trusts none, so any server certificate fails.
    ///   - host: the name it sends (SNI) and verifies.
    ///   - applicationProtocols: ALPN names offered, in order.
    ///   - highestVersion: `TLS1_2_VERSION` to refuse TLS 1.3.
    init(anchor: X509Certificate?, host: String, applicationProtocols: [String] = [], highestVersion: Int32? = nil) {
        let context = SSL_CTX_new(TLS_client_method())!
        self.context = context
        if let anchor { _ = anchor.withHandle { X509_STORE_add_cert(SSL_CTX_get_cert_store(context), $0) } }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        if let highestVersion { SSL_CTX_ctrl(context, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(highestVersion), nil) }
        if !applicationProtocols.isEmpty {
            let wire = applicationProtocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            _ = SSL_CTX_set_alpn_protos(context, wire, UInt32(wire.count))
        }
        let endpoint = tp_tls_endpoint_new(context, 0)!
        self.endpoint = endpoint
        let ssl = tp_tls_endpoint_ssl(endpoint)
        if IPAddress(parsing: host) != nil {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
        } else {
            SSL_set1_host(ssl, host)
            host.withCString {
                _ = SSL_ctrl(
                    ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name),
                    UnsafeMutableRawPointer(mutating: $0))
            }
        }
    }

    deinit {
        tp_tls_endpoint_free(endpoint)
        SSL_CTX_free(context)
    }

    func handshake() -> tp_tls_status { tp_tls_endpoint_handshake(endpoint) }

    func write(_ text: String) -> tp_tls_status {
        Array(text.utf8).withUnsafeBufferPointer { tp_tls_endpoint_write(endpoint, $0.baseAddress, $0.count) }
    }

    /// The plaintext that has arrived, and the status of the last read.
    func read() -> (text: String, status: tp_tls_status) {
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            var count = 0
            let status = tp_tls_endpoint_read(endpoint, &buffer, buffer.count, &count)
            guard status == TP_TLS_OK else { return (String(decoding: text, as: UTF8.self), status) }
            text += buffer.prefix(count)
        }
    }

    func shutdown() { tp_tls_endpoint_shutdown(endpoint) }

    /// The alert the server sent, or the one this client sent, by name; nil when none.
    func alert(received: Bool) -> String? {
        let description = tp_tls_endpoint_alert(endpoint, received ? 1 : 0)
        return description < 0 ? nil : String(cString: SSL_alert_desc_string_long(description))
    }

    /// The client's waiting ciphertext.
    func takeOutput() -> [UInt8] {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while case let count = tp_tls_endpoint_take_output(endpoint, &buffer, buffer.count), count > 0 {
            output += buffer.prefix(count)
        }
        return output
    }

    /// Moves the client's waiting ciphertext to the server; returns how many bytes.
    @discardableResult
    func send(to server: TLSServerSession) -> Int {
        let output = takeOutput()
        output.withUnsafeBytes { server.receive($0) }
        return output.count
    }

    /// Moves the server's waiting ciphertext to the client; returns how many bytes.
    @discardableResult
    func receive(from server: TLSServerSession) -> Int {
        var moved = 0
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while case let count = buffer.withUnsafeMutableBytes({ server.takeOutput(into: $0) }), count > 0 {
            _ = tp_tls_endpoint_receive(endpoint, buffer, count)
            moved += count
        }
        return moved
    }
}
