// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one call of `RequestParser.parseHead` found.
public enum HeadParseResult: Equatable, Sendable {
    /// A whole head; `consumed` bytes from the start of the buffer belong to it (leading empty lines included).
    case complete(RequestHead, consumed: Int)
    /// The head does not end in the buffer yet: call again once more bytes have been appended.
    case needMore
}

/// A strict, incremental parser of HTTP/1.1 request heads (RFC 9112 2-5), shaped like picohttpparser: a
/// function over the bytes received so far that returns a head, asks for more, or throws.
///
/// The parser remembers up to where it has examined the buffer and the lines it has parsed, so a call with the
/// grown buffer goes on from there: a head trickling in byte by byte costs O(n), not O(n²) (picohttpparser's
/// `last_len`). Each line is checked once it is complete, so garbage is rejected before the head ends, and every
/// limit is checked against the bytes in hand, so the result is the same however the bytes are split.
///
/// Empty lines before the request line are skipped (RFC 9112 2.2; some clients send a CRLF after a POST body);
/// they count towards `ParserLimits.maxHeadBytes`, which bounds them.
public struct RequestParser: Sendable {
    private let limits: ParserLimits
    /// Index of the first byte not yet searched for a line feed.
    private var scanned = 0
    /// Index of the first byte of the line being read.
    private var lineStart = 0
    private var requestLine: RequestLine?
    /// Kept as an array until the head is complete, so that it can be given capacity up front.
    private var fields: [HTTPHeaders.Field] = []
    private var hasHost = false

    public init(limits: ParserLimits = .default) {
        self.limits = limits
    }

    /// Parses a request head from the start of `buffer`.
    ///
    /// After `.needMore`, call again with the same bytes and more appended. After `.complete` the parser is
    /// ready for the next request, whose bytes start `consumed` bytes in; `reset()` does the same at any time.
    /// After an error the connection cannot be read further: answer with `error.status` and close it.
    public mutating func parseHead(_ buffer: UnsafeRawBufferPointer) throws(ParseError) -> HeadParseResult {
        precondition(buffer.count >= scanned, "parseHead was given fewer bytes than before without reset()")
        while let lineFeed = try nextLineFeed(in: buffer) {
            guard lineFeed > lineStart, buffer[lineFeed - 1] == HTTPByte.cr else { throw .bareLineFeed }
            let line = lineStart..<lineFeed - 1
            lineStart = lineFeed + 1
            scanned = lineStart
            if let head = try take(line, in: buffer) {
                reset()
                return .complete(head, consumed: lineFeed + 1)
            }
        }
        return .needMore
    }

    /// Forgets the head read so far, to parse a new one from the start of a buffer.
    public mutating func reset() {
        self = RequestParser(limits: limits)
    }

    /// The index of the line feed that ends the current line, or nil when `buffer` ends first.
    /// Throws as soon as the line cannot end within the limits, whatever bytes come next.
    private mutating func nextLineFeed(in buffer: UnsafeRawBufferPointer) throws(ParseError) -> Int? {
        // A line feed at `bound` or later would make the head, or the request line, longer than allowed.
        var bound = limits.maxHeadBytes
        var overflow = ParseError.headTooLarge(limit: limits.maxHeadBytes)
        // Written without `lineStart + maxRequestLineBytes`, which could overflow for a huge limit.
        if requestLine == nil, limits.maxRequestLineBytes <= bound - lineStart - 2 {
            bound = lineStart + limits.maxRequestLineBytes + 2
            overflow = .requestLineTooLong(limit: limits.maxRequestLineBytes)
        }
        let searchEnd = min(buffer.count, bound)
        if scanned < searchEnd, let base = buffer.baseAddress {
            if let found = memchr(base + scanned, Int32(HTTPByte.lf), searchEnd - scanned) {
                return base.distance(to: UnsafeRawPointer(found))
            }
        }
        scanned = max(scanned, searchEnd)
        if buffer.count >= bound { throw overflow }
        return nil
    }

    /// Takes one complete line, without its CRLF; returns the head when it is the empty line that ends it.
    private mutating func take(_ line: Range<Int>, in buffer: UnsafeRawBufferPointer) throws(ParseError)
        -> RequestHead?
    {
        guard let requestLine else {
            if !line.isEmpty {
                self.requestLine = try RequestLine(line, in: buffer)
                fields.reserveCapacity(16)
            }
            return nil
        }
        if line.isEmpty {
            // RFC 9112 3.2: a client must send Host in HTTP/1.1; routing by a guessed host would be worse.
            if requestLine.version == .http1_1 && !hasHost { throw .missingHost }
            return RequestHead(
                method: requestLine.method, target: requestLine.target, version: requestLine.version,
                headers: HTTPHeaders(fields))
        }
        guard fields.count < limits.maxHeaderCount else { throw .tooManyHeaders(limit: limits.maxHeaderCount) }
        let field = try FieldLine(line, in: buffer)
        if field.isHost(in: buffer) {
            // Two Host fields leave it to each hop which one to route by (RFC 9110 7.2).
            if hasHost { throw .multipleHosts }
            hasHost = true
        }
        fields.append((field.name(in: buffer), field.value(in: buffer)))
        return nil
    }
}
