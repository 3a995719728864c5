// SPDX-License-Identifier: Apache-2.0

/// Bounds the request parser and the chunked body decoder enforce, so that a client can make the proxy
/// neither buffer nor scan without end.
public struct ParserLimits: Sendable, Equatable {
    /// Most bytes of a request head: any leading empty lines, the request line, the header lines and the final
    /// empty line, each with its CRLF. Default 64 KiB; more is `ParseError.headTooLarge` (431).
    public var maxHeadBytes: Int
    /// Most header fields in a head. Default 100; more is `ParseError.tooManyHeaders` (431).
    public var maxHeaderCount: Int
    /// Most bytes of the request line, without its CRLF. Default 8 KiB; more is
    /// `ParseError.requestLineTooLong` (431).
    public var maxRequestLineBytes: Int
    /// Most hex digits of a chunk size, leading zeros included. Default 16; more is
    /// `ParseError.chunkSizeTooLong`.
    public var maxChunkSizeDigits: Int
    /// Most bytes of the extensions after a chunk size, from the `;` to the CRLF. They are skipped, not
    /// interpreted. Default 1 KiB; more is `ParseError.chunkExtensionTooLong`.
    public var maxChunkExtensionBytes: Int
    /// Most bytes of the trailer section after the last chunk: every trailer field with its CRLF, and the final
    /// CRLF. Trailers are checked and discarded. Default 16 KiB; more is `ParseError.trailersTooLarge`.
    public var maxTrailerBytes: Int

    public init(
        maxHeadBytes: Int = 64 * 1024,
        maxHeaderCount: Int = 100,
        maxRequestLineBytes: Int = 8 * 1024,
        maxChunkSizeDigits: Int = 16,
        maxChunkExtensionBytes: Int = 1024,
        maxTrailerBytes: Int = 16 * 1024
    ) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxChunkSizeDigits = maxChunkSizeDigits
        self.maxChunkExtensionBytes = maxChunkExtensionBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    public static let `default` = ParserLimits()
}
