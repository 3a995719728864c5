// SPDX-License-Identifier: Apache-2.0
import CCurl

/// A failed curl transfer, classified by what a user can do about it.
///
/// The class comes from codes alone: the `CURLcode`, the chained proxy's answer to
/// `CONNECT` (`CURLINFO_HTTP_CONNECTCODE`) and the certificate check's result
/// (`CURLINFO_SSL_VERIFYRESULT`). The message is curl's own (`CURLOPT_ERRORBUFFER`),
/// which names the host and the cause; it is shown, never searched.
public struct CurlError: Error, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The transfer outlived its timeout.
        case timeout
        /// The host name did not resolve.
        case dns
        /// The TCP connection was refused or did not come up.
        case connect
        /// The chained proxy failed or refused (including `407`).
        case proxy
        /// TLS handshake or certificate verification failed.
        case tls
        /// The transfer was stopped by token-proxy itself.
        case aborted
        /// Any other failure while sending or receiving.
        case transport
    }

    public let kind: Kind
    /// curl's message, e.g. `Failed to connect to api.example.com port 443 after 2 ms: Couldn't connect to server`.
    public let message: String
    /// The raw `CURLcode`, for logs; 0 for a failure token-proxy found itself.
    public let code: Int
    /// The chained proxy's status: its answer to `CONNECT`, or to a plain request sent through it; 0 for none.
    public let proxyStatus: Int
    /// The `errno` of the last failed system call (`CURLINFO_OS_ERRNO`), 0 for none.
    public let osErrno: Int32
    /// Whether the peer's certificate chain failed verification (a non-zero `CURLINFO_SSL_VERIFYRESULT`),
    /// as opposed to another TLS failure.
    public let untrustedCertificate: Bool

    init(
        kind: Kind, message: String, code: Int = 0, proxyStatus: Int = 0, osErrno: Int32 = 0,
        untrustedCertificate: Bool = false
    ) {
        self.kind = kind
        self.message = message
        self.code = code
        self.proxyStatus = proxyStatus
        self.osErrno = osErrno
        self.untrustedCertificate = untrustedCertificate
    }

    /// A failed transfer as curl reports it: `connectCode` is `CURLINFO_HTTP_CONNECTCODE`, `verifyResult`
    /// `CURLINFO_SSL_VERIFYRESULT`.
    init(code: CURLcode, message: String, connectCode: Int, osErrno: Int32, verifyResult: Int) {
        let refusedConnect = connectCode != 0 && !(200..<300).contains(connectCode)
        self.init(
            kind: Self.classify(code, proxyRefused: refusedConnect),
            message: message.isEmpty ? String(cString: curl_easy_strerror(code)) : message,
            code: Int(code.rawValue), proxyStatus: refusedConnect ? connectCode : 0, osErrno: osErrno,
            untrustedCertificate: code == CURLE_PEER_FAILED_VERIFICATION && verifyResult != 0)
    }

    /// A plain request sent through a chained proxy that the proxy answered itself with `status`.
    static func proxyAnswered(status: Int, reason: String) -> CurlError {
        CurlError(kind: .proxy, message: "it answered \(status) \(reason)", proxyStatus: status)
    }

    public var description: String { message }

    /// Short label without payload, for metrics.
    public var metricLabel: String { kind.rawValue }

    private static func classify(_ code: CURLcode, proxyRefused: Bool) -> Kind {
        // A refused CONNECT ends as CURLE_RECV_ERROR in 7.88: the answer's status is what tells.
        if proxyRefused { return .proxy }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_COULDNT_RESOLVE_HOST:
            return .dns
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_PROXY:
            return .proxy
        case CURLE_COULDNT_CONNECT:
            return .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CLIENTCERT,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls
        case CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK, CURLE_READ_ERROR:
            return .aborted
        default:
            return .transport
        }
    }
}
