// SPDX-License-Identifier: Apache-2.0

/// Why a request head or body was rejected.
///
/// The parser rejects rather than guesses: each case is a way two HTTP implementations could disagree on where a
/// request starts or ends (request smuggling), or a limit. No case carries a header value, so a message can never
/// echo a credential the client sent.
public enum ParseError: Error, Equatable, CustomStringConvertible {
    case headTooLarge(limit: Int)
    case requestLineTooLong(limit: Int)
    case tooManyHeaders(limit: Int)
    /// The request line is not `METHOD SP target SP HTTP/x.y`.
    case invalidRequestLine
    case invalidMethod
    case invalidTarget
    case unsupportedVersion(HTTPVersion)
    case bareLineFeed
    case bareCarriageReturn
    case obsoleteLineFolding
    case invalidHeaderName
    case invalidHeaderValue(name: String)
    case missingHost
    case multipleHosts
    case conflictingFraming
    case invalidContentLength
    case differingContentLengths
    case unsupportedTransferEncoding(String)
    case transferEncodingInHTTP10
    case invalidChunkSize
    case chunkSizeTooLong(limit: Int)
    case invalidChunkExtension
    case chunkExtensionTooLong(limit: Int)
    case missingCRLFAfterChunkData
    case trailersTooLarge(limit: Int)

    /// HTTP status the proxy answers with: 431 when the head or one of its parts is too large, else 400.
    public var status: Int {
        switch self {
        case .headTooLarge, .requestLineTooLong, .tooManyHeaders: 431
        default: 400
        }
    }

    /// A short label without payload, for metrics and logs.
    public var metricLabel: String {
        switch self {
        case .headTooLarge: "head_too_large"
        case .requestLineTooLong: "request_line_too_long"
        case .tooManyHeaders: "too_many_headers"
        case .invalidRequestLine: "invalid_request_line"
        case .invalidMethod: "invalid_method"
        case .invalidTarget: "invalid_target"
        case .unsupportedVersion: "unsupported_version"
        case .bareLineFeed: "bare_line_feed"
        case .bareCarriageReturn: "bare_carriage_return"
        case .obsoleteLineFolding: "obsolete_line_folding"
        case .invalidHeaderName: "invalid_header_name"
        case .invalidHeaderValue: "invalid_header_value"
        case .missingHost: "missing_host"
        case .multipleHosts: "multiple_hosts"
        case .conflictingFraming: "conflicting_framing"
        case .invalidContentLength: "invalid_content_length"
        case .differingContentLengths: "differing_content_lengths"
        case .unsupportedTransferEncoding: "unsupported_transfer_encoding"
        case .transferEncodingInHTTP10: "transfer_encoding_in_http10"
        case .invalidChunkSize: "invalid_chunk_size"
        case .chunkSizeTooLong: "chunk_size_too_long"
        case .invalidChunkExtension: "invalid_chunk_extension"
        case .chunkExtensionTooLong: "chunk_extension_too_long"
        case .missingCRLFAfterChunkData: "missing_crlf_after_chunk_data"
        case .trailersTooLarge: "trailers_too_large"
        }
    }

    public var description: String {
        switch self {
        case .headTooLarge(let limit):
            "the request head is larger than \(limit) bytes; send fewer or shorter header fields"
        case .requestLineTooLong(let limit):
            "the request line is longer than \(limit) bytes; shorten the URL"
        case .tooManyHeaders(let limit):
            "the request has more than \(limit) header fields; send fewer"
        case .invalidRequestLine:
            "the request line is not 'METHOD SP target SP HTTP/1.x' with single spaces and a CRLF"
        case .invalidMethod:
            "the request method is not a token (letters, digits and !#$%&'*+-.^_`|~ only)"
        case .invalidTarget:
            "the request target contains a control character or a byte outside ASCII; percent-encode it"
        case .unsupportedVersion(let version):
            "\(version) is not supported; send HTTP/1.1 or HTTP/1.0"
        case .bareLineFeed:
            "a line ends in LF without CR; end every line of the head and chunk framing with CRLF"
        case .bareCarriageReturn:
            "a CR is not followed by LF; end every line with CRLF and send no CR elsewhere"
        case .obsoleteLineFolding:
            "a header line starts with a space or tab (obsolete line folding); send each field on one line"
        case .invalidHeaderName:
            "a header field name is not a token, or has whitespace before its colon"
        case .invalidHeaderValue(let name):
            "the value of header field '\(name)' contains a control character"
        case .missingHost:
            "an HTTP/1.1 request must have a Host header field"
        case .multipleHosts:
            "the request has more than one Host header field; send exactly one"
        case .conflictingFraming:
            "the request has both Content-Length and Transfer-Encoding; send only one"
        case .invalidContentLength:
            "Content-Length is not a non-negative decimal number that fits in 64 bits"
        case .differingContentLengths:
            "the request has several Content-Length values that differ; send one"
        case .unsupportedTransferEncoding(let value):
            "Transfer-Encoding '\(value.prefix(64))' is not supported; send 'chunked' alone or a Content-Length"
        case .transferEncodingInHTTP10:
            "an HTTP/1.0 request cannot use Transfer-Encoding; send a Content-Length or use HTTP/1.1"
        case .invalidChunkSize:
            "a chunk size is not hex digits followed by ';' or CRLF, or does not fit in 64 bits"
        case .chunkSizeTooLong(let limit):
            "a chunk size has more than \(limit) hex digits"
        case .invalidChunkExtension:
            "a chunk extension contains a control character"
        case .chunkExtensionTooLong(let limit):
            "the extensions of a chunk are longer than \(limit) bytes"
        case .missingCRLFAfterChunkData:
            "chunk data is not followed by CRLF; the chunk is longer than its size says"
        case .trailersTooLarge(let limit):
            "the trailer fields after the last chunk are larger than \(limit) bytes"
        }
    }
}
