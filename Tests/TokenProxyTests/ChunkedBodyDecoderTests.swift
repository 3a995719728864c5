// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

/// What decoding a chunked body gave: the payload, how many input bytes the body took, and whether it ended.
struct DecodedBody: Equatable, Sendable {
    var payload: String
    var consumed: Int
    var isComplete: Bool
}

/// One row of the decoder table: raw bytes and what decoding them must give.
struct ChunkedCase: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var bytes: [UInt8]
    var limits = ParserLimits.default
    var expected: Result<DecodedBody, ParseError>

    /// A row whose bytes hold a whole body, `consumed` bytes long (all of them unless given).
    static func body(_ description: String, _ raw: String, _ payload: String, consumed: Int? = nil) -> ChunkedCase {
        let bytes = Array(raw.utf8)
        return ChunkedCase(
            testDescription: description, bytes: bytes,
            expected: .success(DecodedBody(payload: payload, consumed: consumed ?? bytes.count, isComplete: true)))
    }

    static func partial(_ description: String, _ raw: String, _ payload: String) -> ChunkedCase {
        let bytes = Array(raw.utf8)
        return ChunkedCase(
            testDescription: description, bytes: bytes,
            expected: .success(DecodedBody(payload: payload, consumed: bytes.count, isComplete: false)))
    }

    static func failure(
        _ description: String, _ raw: String, _ error: ParseError, limits: ParserLimits = .default
    ) -> ChunkedCase {
        ChunkedCase(testDescription: description, bytes: Array(raw.utf8), limits: limits, expected: .failure(error))
    }
}

/// Decodes `bytes` with one decoder, handing them over in pieces that end at `cuts`, as a socket might deliver
/// them; each piece holds what the previous call did not consume.
private func decode(_ bytes: [UInt8], cuts: [Int] = [], limits: ParserLimits = .default) -> Result<
    DecodedBody, ParseError
> {
    var decoder = ChunkedBodyDecoder(limits: limits)
    var payload: [UInt8] = []
    var offset = 0
    for end in cuts + [bytes.count] where !decoder.isComplete && end >= offset {
        let step = bytes[offset..<end].withUnsafeBytes { buffer in
            Result { () throws(ParseError) in try decoder.decode(buffer, into: &payload) }
        }
        switch step {
        case .success(let consumed): offset += consumed
        case .failure(let error): return .failure(error)
        }
    }
    return .success(
        DecodedBody(payload: String(decoding: payload, as: UTF8.self), consumed: offset, isComplete: decoder.isComplete)
    )
}

private let hello = "5\r\nhello\r\n0\r\n\r\n"

/// A body whose one trailer field makes the trailer section exactly `size` bytes, final CRLF included.
private func trailers(ofSize size: Int) -> String {
    "0\r\nX-Pad: " + String(repeating: "p", count: size - "X-Pad: \r\n\r\n".utf8.count) + "\r\n\r\n"
}

private let extensionAtLimit = ";" + String(repeating: "e", count: 1023)

private let chunkedCases: [ChunkedCase] = [
    .body("one chunk", hello, "hello"),
    .body("empty body", "0\r\n\r\n", ""),
    .body("several chunks", "5\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\n\r\n", "hello world!"),
    .body("hex sizes in either case", "a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\n\r\n", "0123456789abcdefghijk"),
    .body("leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello"),
    .body("CRLF inside data is data", "4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n"),
    .body("chunk extensions skipped", "5;name=value;flag\r\nhello\r\n0;last=\"a b\"\r\n\r\n", "hello"),
    .body("chunk extensions of the limit", "5" + extensionAtLimit + "\r\nhello\r\n0\r\n\r\n", "hello"),
    .body("trailers read and dropped", "5\r\nhello\r\n0\r\nX-Checksum: abc\r\nX-Empty:\r\n\r\n", "hello"),
    .body("trailers of the limit", trailers(ofSize: 16384), ""),
    .body("16 size digits", "0000000000000005\r\nhello\r\n0\r\n\r\n", "hello"),
    .body(
        "pipelined request left unconsumed", hello + "GET / HTTP/1.1\r\n", "hello",
        consumed: hello.utf8.count),
    .partial("nothing yet", "", ""),
    .partial("part of a chunk", "5\r\nhel", "hel"),
    .partial("chunk without its CRLF", "5\r\nhello", "hello"),
    .partial("last chunk without the trailer section", "5\r\nhello\r\n0\r\n", "hello"),
    .partial("a trailer without the final CRLF", "0\r\nX-A: b\r\n", ""),
    .partial("largest size", "7fffffffffffffff\r\n", ""),
    .failure("not hex", "x\r\n", .invalidChunkSize),
    .failure("empty size", "\r\nhello\r\n", .invalidChunkSize),
    .failure("minus sign", "-5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .failure("plus sign", "+5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .failure("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .failure("space before the size", " 5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .failure("space after the size", "5 \r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .failure("space before the extension", "5 ;a\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .failure("extension without a size", ";a\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
    .failure("size overflows", "8000000000000000\r\n", .invalidChunkSize),
    .failure("17 size digits", "00000000000000005\r\nhello\r\n0\r\n\r\n", .chunkSizeTooLong(limit: 16)),
    .failure("bare LF after the size", "5\nhello\r\n0\r\n\r\n", .bareLineFeed),
    .failure("bare CR after the size", "5\rhello\r\n0\r\n\r\n", .bareCarriageReturn),
    .failure("bare LF after an extension", "5;a\nhello\r\n0\r\n\r\n", .bareLineFeed),
    .failure("control in an extension", "5;a\u{1}b\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
    .failure(
        "chunk extensions over the limit", "5" + extensionAtLimit + "e\r\nhello\r\n0\r\n\r\n",
        .chunkExtensionTooLong(limit: 1024)),
    .failure("data longer than its size", "5\r\nhello!\r\n0\r\n\r\n", .missingCRLFAfterChunkData),
    .failure("LF alone after data", "5\r\nhello\n0\r\n\r\n", .missingCRLFAfterChunkData),
    .failure("CR alone after data", "5\r\nhello\r0\r\n\r\n", .missingCRLFAfterChunkData),
    .failure("folded trailer", "0\r\nX-A: b\r\n c\r\n\r\n", .obsoleteLineFolding),
    .failure("space before a trailer colon", "0\r\nX-A : b\r\n\r\n", .invalidHeaderName),
    .failure("NUL in a trailer value", "0\r\nX-A: b\u{0}\r\n\r\n", .invalidHeaderValue(name: "X-A")),
    .failure("bare CR in a trailer", "0\r\nX-A: b\rc\r\n\r\n", .bareCarriageReturn),
    .failure("bare LF ends a trailer", "0\r\nX-A: b\n\r\n", .bareLineFeed),
    .failure("bare LF ends the trailer section", "0\r\n\n", .bareLineFeed),
    .failure("trailers over the limit", trailers(ofSize: 16385), .trailersTooLarge(limit: 16384)),
    .failure(
        "small digit limit", "005\r\nhello\r\n0\r\n\r\n", .chunkSizeTooLong(limit: 2),
        limits: ParserLimits(maxChunkSizeDigits: 2)),
]

@Suite struct ChunkedBodyDecoderTests {
    @Test(arguments: chunkedCases)
    func wholeInput(_ row: ChunkedCase) {
        #expect(decode(row.bytes, limits: row.limits) == row.expected)
    }

    @Test(arguments: chunkedCases)
    func oneByteAtATime(_ row: ChunkedCase) {
        #expect(decode(row.bytes, cuts: Array(row.bytes.indices), limits: row.limits) == row.expected)
    }

    /// Every cut of the short rows; the limit rows, 16 KiB long, would take long and are covered byte by byte.
    @Test(arguments: chunkedCases.filter { $0.bytes.count < 2048 })
    func splitAtEveryByte(_ row: ChunkedCase) {
        for cut in row.bytes.indices {
            #expect(decode(row.bytes, cuts: [cut], limits: row.limits) == row.expected, "cut at \(cut)")
        }
    }

    @Test func completeDecoderTakesNoMoreBytes() throws {
        var decoder = ChunkedBodyDecoder()
        var payload: [UInt8] = []
        let consumed = try Array(hello.utf8).withUnsafeBytes { try decoder.decode($0, into: &payload) }
        #expect(consumed == hello.utf8.count && decoder.isComplete)
        let more = try Array("5\r\nagain\r\n".utf8).withUnsafeBytes { try decoder.decode($0, into: &payload) }
        #expect(more == 0)
        #expect(payload == Array("hello".utf8))
    }
}
