// SPDX-License-Identifier: Apache-2.0

/// The first line of a request (RFC 9112 3): `method SP request-target SP HTTP-version`, with exactly one space
/// between the parts, since parsers that split on runs of whitespace would read another target.
struct RequestLine: Sendable {
    var method: String
    var target: String
    var version: HTTPVersion

    /// Parses the request line at `line` in `buffer`; `line` excludes the CRLF.
    init(_ line: Range<Int>, in buffer: UnsafeRawBufferPointer) throws(ParseError) {
        let end = line.upperBound
        var index = line.lowerBound
        while index < end, HTTPByte.isToken(buffer[index]) { index += 1 }
        let methodEnd = index
        guard index < end, buffer[index] == HTTPByte.space else {
            throw Self.rejection(at: index, in: line, buffer: buffer, otherwise: .invalidMethod)
        }
        guard methodEnd > line.lowerBound else { throw .invalidRequestLine }
        index += 1
        let targetStart = index
        // Visible ASCII only: no whitespace, no control characters, no raw bytes above 0x7F (RFC 3986 has none).
        while index < end, HTTPByte.isVisible(buffer[index]) { index += 1 }
        guard index < end, buffer[index] == HTTPByte.space else {
            throw Self.rejection(at: index, in: line, buffer: buffer, otherwise: .invalidTarget)
        }
        guard index > targetStart else { throw .invalidRequestLine }
        version = try Self.version(at: index + 1..<end, in: buffer)
        method = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[line.lowerBound..<methodEnd]), as: UTF8.self)
        target = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[targetStart..<index]), as: UTF8.self)
    }

    /// Reads exactly `HTTP/DIGIT.DIGIT` (RFC 9112 2.3: case-sensitive, one digit each).
    private static func version(at range: Range<Int>, in buffer: UnsafeRawBufferPointer) throws(ParseError)
        -> HTTPVersion
    {
        let start = range.lowerBound
        guard range.count == 8,
            buffer[start] == UInt8(ascii: "H"), buffer[start + 1] == UInt8(ascii: "T"),
            buffer[start + 2] == UInt8(ascii: "T"), buffer[start + 3] == UInt8(ascii: "P"),
            buffer[start + 4] == UInt8(ascii: "/"), buffer[start + 6] == UInt8(ascii: "."),
            let major = digit(buffer[start + 5]), let minor = digit(buffer[start + 7])
        else {
            throw range.contains { buffer[$0] == HTTPByte.cr } ? .bareCarriageReturn : .invalidRequestLine
        }
        let version = HTTPVersion(major: major, minor: minor)
        guard version == .http1_1 || version == .http1_0 else { throw .unsupportedVersion(version) }
        return version
    }

    private static func digit(_ byte: UInt8) -> Int? {
        HTTPByte.isDigit(byte) ? Int(byte - 0x30) : nil
    }

    /// The error for the byte at `index` that ended a part of the line early.
    private static func rejection(
        at index: Int, in line: Range<Int>, buffer: UnsafeRawBufferPointer, otherwise error: ParseError
    ) -> ParseError {
        if index == line.upperBound { return .invalidRequestLine }
        return buffer[index] == HTTPByte.cr ? .bareCarriageReturn : error
    }
}
