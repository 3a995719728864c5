// SPDX-License-Identifier: Apache-2.0

/// How a request body is delimited, read from the head (RFC 9112 6.1-6.3).
///
/// When two hops read the framing differently, the bytes one of them takes for a body, the other takes for a
/// second request (request smuggling). So every head whose framing could be read more than one way is rejected.
public enum BodyFraming: Equatable, Sendable {
    /// No body: a request without Content-Length or Transfer-Encoding has none (RFC 9112 6.3).
    case none
    case contentLength(Int)
    case chunked

    /// Reads the framing of `head`.
    ///
    /// Throws for: both Content-Length and Transfer-Encoding; Content-Length values that differ (identical repeats,
    /// also in one comma-separated field such as `5, 5`, collapse into one); a Content-Length that is not decimal
    /// digits or does not fit in an `Int`; a Transfer-Encoding other than `chunked` alone (case-insensitive);
    /// Transfer-Encoding in an HTTP/1.0 request.
    public init(head: RequestHead) throws(ParseError) {
        let contentLengths = head.headers.values(name: "Content-Length")
        if head.headers.contains(name: "Transfer-Encoding") {
            // An HTTP/1.0 hop does not know chunked and would read the body as the next request (RFC 9112 6.1).
            guard head.version != .http1_0 else { throw .transferEncodingInHTTP10 }
            guard contentLengths.isEmpty else { throw .conflictingFraming }
            // Any other coding would need decoding here to find where the body ends.
            guard head.headers.tokens(name: "Transfer-Encoding") == ["chunked"] else {
                throw .unsupportedTransferEncoding(
                    head.headers.values(name: "Transfer-Encoding").joined(separator: ", "))
            }
            self = .chunked
            return
        }
        var length: Int?
        for element in contentLengths.lazy.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let next = try Self.contentLength(element.trimmingWhitespace())
            if let length, length != next { throw .differingContentLengths }
            length = next
        }
        self = length.map { .contentLength($0) } ?? .none
    }

    /// Reads `1*DIGIT` (RFC 9110 8.6): no sign, no inner whitespace, no empty value.
    private static func contentLength(_ text: String) throws(ParseError) -> Int {
        guard !text.isEmpty else { throw .invalidContentLength }
        var value = 0
        for byte in text.utf8 {
            guard HTTPByte.isDigit(byte) else { throw .invalidContentLength }
            let (shifted, productOverflows) = value.multipliedReportingOverflow(by: 10)
            let (sum, sumOverflows) = shifted.addingReportingOverflow(Int(byte - 0x30))
            guard !productOverflows, !sumOverflows else { throw .invalidContentLength }
            value = sum
        }
        return value
    }
}
