// SPDX-License-Identifier: Apache-2.0
import CCurl

/// A failed curl transfer, classified by what a user can do about it.
///
/// The class comes from the pair (CURLcode, message); the message is curl's
/// own (`CURLOPT_ERRORBUFFER`), which names the host and the cause.
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
    /// curl's message, e.g. `Failed to connect to api.example.com port 443: Connection refused`.
    public let message: String
    /// The raw `CURLcode`, for logs.
    public let code: Int

    init(kind: Kind, message: String, code: Int) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    init(code: CURLcode, message: String) {
        let text = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        self.init(kind: Self.classify(code, message: text), message: text, code: Int(code.rawValue))
    }

    public var description: String { message }

    /// Short label without payload, for metrics.
    public var metricLabel: String { kind.rawValue }

    private static func classify(_ code: CURLcode, message: String) -> Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_COULDNT_RESOLVE_HOST:
            return .dns
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_PROXY:
            return .proxy
        case CURLE_COULDNT_CONNECT:
            return message.localizedStandardContainsProxy ? .proxy : .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CLIENTCERT,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls
        case CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK, CURLE_READ_ERROR:
            return .aborted
        default:
            return message.localizedStandardContainsProxy ? .proxy : .transport
        }
    }
}

extension String {
    /// curl names a failing chained proxy in its message ("proxy", "CONNECT tunnel failed").
    fileprivate var localizedStandardContainsProxy: Bool {
        let lower = lowercased()
        return lower.contains("proxy") || lower.contains("connect tunnel")
    }
}
