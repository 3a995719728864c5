// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

/// One row of a parser table: raw bytes and what parsing them must give.
struct HeadCase: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var bytes: [UInt8]
    var limits = ParserLimits.default
    var expected: Result<HeadParseResult, ParseError>

    /// A row whose bytes start with a whole head, `consumed` bytes long (all of them unless given).
    static func head(
        _ description: String, _ raw: String, _ method: String, _ target: String, _ fields: [(String, String)],
        version: HTTPVersion = .http1_1, consumed: Int? = nil, limits: ParserLimits = .default
    ) -> HeadCase {
        head(description, Array(raw.utf8), method, target, fields, version: version, consumed: consumed, limits: limits)
    }

    static func head(
        _ description: String, _ bytes: [UInt8], _ method: String, _ target: String, _ fields: [(String, String)],
        version: HTTPVersion = .http1_1, consumed: Int? = nil, limits: ParserLimits = .default
    ) -> HeadCase {
        let head = RequestHead(method: method, target: target, version: version, headers: HTTPHeaders(fields))
        return HeadCase(
            testDescription: description, bytes: bytes, limits: limits,
            expected: .success(.complete(head, consumed: consumed ?? bytes.count)))
    }

    static func needMore(_ description: String, _ raw: String) -> HeadCase {
        HeadCase(testDescription: description, bytes: Array(raw.utf8), expected: .success(.needMore))
    }

    static func failure(
        _ description: String, _ raw: String, _ error: ParseError, limits: ParserLimits = .default
    ) -> HeadCase {
        failure(description, Array(raw.utf8), error, limits: limits)
    }

    static func failure(
        _ description: String, _ bytes: [UInt8], _ error: ParseError, limits: ParserLimits = .default
    ) -> HeadCase {
        HeadCase(testDescription: description, bytes: bytes, limits: limits, expected: .failure(error))
    }
}

/// Parses `bytes` in one call. They are copied to an allocation of their exact size, where an array may have
/// spare capacity, so that `swift test --sanitize=address` reports any read past their end (picohttpparser's
/// guard page). The byte-by-byte replay needs no copy: its buffers are slices, whose bounds debug builds check.
private func parseWhole(_ bytes: [UInt8], limits: ParserLimits = .default) -> Result<HeadParseResult, ParseError> {
    let exact = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    defer { exact.deallocate() }
    exact.copyBytes(from: bytes)
    var parser = RequestParser(limits: limits)
    return Result { () throws(ParseError) in try parser.parseHead(UnsafeRawBufferPointer(exact)) }
}

/// Feeds `bytes` to one parser as a buffer that grows by one byte per call, as a slow client would send them;
/// returns the first result other than `.needMore`, or `.needMore` when the bytes end first.
private func parseGrowing(_ bytes: [UInt8], limits: ParserLimits = .default) -> Result<HeadParseResult, ParseError> {
    var parser = RequestParser(limits: limits)
    for count in bytes.indices {
        let result = bytes[...count].withUnsafeBytes { buffer in
            Result { () throws(ParseError) in try parser.parseHead(buffer) }
        }
        if result != .success(.needMore) { return result }
    }
    return .success(.needMore)
}

private let get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
private let post = "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"

private let validHeads: [HeadCase] = [
    .head(
        "origin form", "GET /v1/x?a=b HTTP/1.1\r\nHost: api.example.com\r\nAccept: */*\r\n\r\n",
        "GET", "/v1/x?a=b", [("Host", "api.example.com"), ("Accept", "*/*")]),
    .head(
        "absolute form", "GET http://api.example.com:8080/v1/x?a=b HTTP/1.1\r\nHost: api.example.com:8080\r\n\r\n",
        "GET", "http://api.example.com:8080/v1/x?a=b", [("Host", "api.example.com:8080")]),
    .head(
        "authority form", "CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n",
        "CONNECT", "api.example.com:443", [("Host", "api.example.com:443")]),
    .head("asterisk form", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "OPTIONS", "*", [("Host", "a")]),
    .head("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", "GET", "/", [], version: .http1_0),
    .head("HTTP/1.0 with Host", "GET / HTTP/1.0\r\nhost: a\r\n\r\n", "GET", "/", [("host", "a")], version: .http1_0),
    .head(
        "method is any token, case kept", "m-Search.1 / HTTP/1.1\r\nHost: a\r\n\r\n",
        "m-Search.1", "/", [("Host", "a")]),
    .head(
        "names keep their case, OWS trimmed, inner spaces kept",
        "GET / HTTP/1.1\r\nHOST:a\r\nx-A: \t one  two \t\r\n\r\n", "GET", "/", [("HOST", "a"), ("x-A", "one  two")]),
    .head(
        "empty values", "GET / HTTP/1.1\r\nHost: a\r\nX-E:\r\nX-F: \t \r\n\r\n",
        "GET", "/", [("Host", "a"), ("X-E", ""), ("X-F", "")]),
    .head(
        "tab and colon inside a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\tc:d\r\n\r\n",
        "GET", "/", [("Host", "a"), ("X-A", "b\tc:d")]),
    // Values with obs-text are valid (RFC 9110 5.5) and kept one character per byte, UTF-8 or not.
    .head(
        "UTF-8 value", "GET / HTTP/1.1\r\nHost: a\r\nX-Name: Grüße\r\n\r\n",
        "GET", "/", [("Host", "a"), ("X-Name", "Gr\u{C3}\u{BC}\u{C3}\u{9F}e")]),
    .head(
        "value not UTF-8",
        Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: \u{7E}".utf8) + [0xE9, 0xFF, 0x80] + Array("\r\n\r\n".utf8),
        "GET", "/", [("Host", "a"), ("X-A", "~\u{E9}\u{FF}\u{80}")]),
    .head(
        "repeated fields keep their order", "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-B: 2\r\nx-a: 3\r\n\r\n",
        "GET", "/", [("Host", "a"), ("X-A", "1"), ("X-B", "2"), ("x-a", "3")]),
    .head("leading empty lines skipped and consumed", "\r\n\r\n" + get, "GET", "/", [("Host", "a")]),
    .head(
        "body left unconsumed", post + "hello", "POST", "/p", [("Host", "a"), ("Content-Length", "5")],
        consumed: post.utf8.count),
    .head(
        "pipelined: the first head only", get + "GET /2 HTTP/1.1\r\nHost: b\r\n\r\n",
        "GET", "/", [("Host", "a")], consumed: get.utf8.count),
    .head(
        "pipelined: a bare LF in the next request is not read yet", get + "GET /2 HTTP/1.1\n",
        "GET", "/", [("Host", "a")], consumed: get.utf8.count),
]

private let incompleteHeads: [HeadCase] = [
    .needMore("nothing", ""),
    .needMore("only empty lines", "\r\n\r\n"),
    .needMore("part of the request line", "GET / HT"),
    .needMore("request line", "GET / HTTP/1.1\r\n"),
    .needMore("a header line without its LF", "GET / HTTP/1.1\r\nHost: a\r"),
    .needMore("headers without the final empty line", "GET / HTTP/1.1\r\nHost: a\r\n"),
    .needMore("final CR without its LF", "GET / HTTP/1.1\r\nHost: a\r\n\r"),
]

private let malformedHeads: [HeadCase] = [
    .failure("two spaces after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("two spaces before the version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("space before the method", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("no version", "GET /\r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("method only", "GET\r\n\r\n", .invalidRequestLine),
    .failure("space inside the target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("tab inside the target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    .failure("DEL inside the target", "GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    .failure("raw non-ASCII target", "GET /ä HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
    .failure("tab after the method", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
    .failure("method not a token", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
    .failure("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", .unsupportedVersion(HTTPVersion(major: 1, minor: 2))),
    .failure("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion(HTTPVersion(major: 2, minor: 0))),
    .failure("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", .unsupportedVersion(HTTPVersion(major: 0, minor: 9))),
    .failure("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("two-digit minor", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    .failure("bare LF ends the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", .bareLineFeed),
    .failure("bare LF ends a header", "GET / HTTP/1.1\r\nHost: a\n\r\n", .bareLineFeed),
    .failure("bare LF ends the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", .bareLineFeed),
    .failure("bare LF before the request", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .bareLineFeed),
    .failure("bare CR before the request", "\r\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .bareCarriageReturn),
    .failure("bare CR in the target", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", .bareCarriageReturn),
    .failure("bare CR after the version", "GET / HTTP/1.1\rX\r\nHost: a\r\n\r\n", .bareCarriageReturn),
    .failure("bare CR in a name", "GET / HTTP/1.1\r\nHo\rst: a\r\n\r\n", .bareCarriageReturn),
    .failure("bare CR in a value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", .bareCarriageReturn),
    .failure("folded line", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", .obsoleteLineFolding),
    .failure("tab-folded line", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", .obsoleteLineFolding),
    .failure("space-led first header", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", .obsoleteLineFolding),
    .failure("space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", .invalidHeaderName),
    .failure("tab before the colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .invalidHeaderName),
    .failure("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", .invalidHeaderName),
    .failure("no colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A\r\n\r\n", .invalidHeaderName),
    .failure("name not a token", "GET / HTTP/1.1\r\nHost: a\r\nX@A: b\r\n\r\n", .invalidHeaderName),
    .failure("NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", .invalidHeaderValue(name: "X-A")),
    .failure(
        "control in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1B}c\r\n\r\n", .invalidHeaderValue(name: "X-A")),
    .failure("DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}\r\n\r\n", .invalidHeaderValue(name: "X-A")),
    .failure("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", .missingHost),
    .failure("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", .multipleHosts),
    .failure("two Host fields in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHOST: a\r\n\r\n", .multipleHosts),
]

/// A GET whose head is exactly `size` bytes, padded by one header field.
private func head(ofSize size: Int) -> String {
    let fixed = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: \r\n\r\n"
    return "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + String(repeating: "p", count: size - fixed.utf8.count) + "\r\n\r\n"
}

/// `text` less its last byte (`String.dropLast` would drop a whole CRLF, one Character).
private func withoutLastByte(_ text: String) -> String {
    String(decoding: text.utf8.dropLast(), as: UTF8.self)
}

/// A GET whose request line, without CRLF, is exactly `size` bytes.
private func requestLine(ofSize size: Int) -> String {
    "GET /" + String(repeating: "t", count: size - "GET / HTTP/1.1".utf8.count) + " HTTP/1.1"
}

/// A GET with `count` header fields, Host first.
private func fields(count: Int) -> [(String, String)] {
    [("Host", "a")] + (1..<count).map { ("X-\($0)", "\($0)") }
}

private func request(with fields: [(String, String)]) -> String {
    "GET / HTTP/1.1\r\n" + fields.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n"
}

private let limitHeads: [HeadCase] = [
    .head(
        "head of maxHeadBytes", head(ofSize: 65536), "GET", "/",
        [("Host", "a"), ("X-Pad", String(repeating: "p", count: 65536 - 36))]),
    .failure("head of maxHeadBytes + 1", head(ofSize: 65537), .headTooLarge(limit: 65536)),
    .needMore("head of maxHeadBytes less its last LF", withoutLastByte(head(ofSize: 65536))),
    .failure(
        "head of maxHeadBytes + 1 less its last LF: the limit is already passed",
        withoutLastByte(head(ofSize: 65537)), .headTooLarge(limit: 65536)),
    .head(
        "leading empty lines count: at the limit", "\r\n" + get, "GET", "/", [("Host", "a")],
        limits: ParserLimits(maxHeadBytes: 29)),
    .failure(
        "leading empty lines count: over the limit", "\r\n" + get, .headTooLarge(limit: 28),
        limits: ParserLimits(maxHeadBytes: 28)),
    .failure(
        "endless leading empty lines", String(repeating: "\r\n", count: 40), .headTooLarge(limit: 64),
        limits: ParserLimits(maxHeadBytes: 64)),
    .head(
        "request line of maxRequestLineBytes", requestLine(ofSize: 8192) + "\r\nHost: a\r\n\r\n",
        "GET", "/" + String(repeating: "t", count: 8192 - 14), [("Host", "a")]),
    .failure(
        "request line of maxRequestLineBytes + 1", requestLine(ofSize: 8193) + "\r\nHost: a\r\n\r\n",
        .requestLineTooLong(limit: 8192)),
    .needMore("request line of maxRequestLineBytes less its LF", requestLine(ofSize: 8192) + "\r"),
    .failure(
        "request line of maxRequestLineBytes + 1 less its LF: the limit is already passed",
        requestLine(ofSize: 8193) + "\r", .requestLineTooLong(limit: 8192)),
    .failure(
        "request line limit after leading empty lines", "\r\n" + requestLine(ofSize: 21) + "\r\n\r\n",
        .requestLineTooLong(limit: 20), limits: ParserLimits(maxRequestLineBytes: 20)),
    .failure(
        "request line over the head limit", requestLine(ofSize: 8192) + "\r\n", .headTooLarge(limit: 100),
        limits: ParserLimits(maxHeadBytes: 100)),
    .head("maxHeaderCount fields", request(with: fields(count: 100)), "GET", "/", fields(count: 100)),
    .failure("maxHeaderCount + 1 fields", request(with: fields(count: 101)), .tooManyHeaders(limit: 100)),
]

@Suite struct RequestParserTests {
    static let allCases = validHeads + incompleteHeads + malformedHeads + limitHeads

    @Test(arguments: allCases)
    func wholeBuffer(_ row: HeadCase) {
        #expect(parseWhole(row.bytes, limits: row.limits) == row.expected)
    }

    @Test(arguments: allCases)
    func oneByteAtATime(_ row: HeadCase) {
        #expect(parseGrowing(row.bytes, limits: row.limits) == row.expected)
    }

    @Test func pipelinedRequestsShareOneParser() throws {
        let second = "POST /2 HTTP/1.1\r\nHost: b\r\nContent-Length: 0\r\n\r\n"
        let bytes = Array((get + second).utf8)
        var parser = RequestParser()
        let first = try bytes.withUnsafeBytes { try parser.parseHead($0) }
        guard case .complete(let head, let consumed) = first else {
            Issue.record("first head incomplete: \(first)")
            return
        }
        #expect(head.target == "/")
        let next = try bytes[consumed...].withUnsafeBytes { try parser.parseHead($0) }
        guard case .complete(let nextHead, let nextConsumed) = next else {
            Issue.record("second head incomplete: \(next)")
            return
        }
        #expect(nextHead.method == "POST" && nextHead.target == "/2")
        #expect(consumed + nextConsumed == bytes.count)
    }

    @Test func resetForgetsAPartialHead() throws {
        var parser = RequestParser()
        let partial = Array("POST /old HTTP/1.1\r\nHost: old\r\n".utf8)
        #expect(try partial.withUnsafeBytes { try parser.parseHead($0) } == .needMore)
        parser.reset()
        let result = try Array(get.utf8).withUnsafeBytes { try parser.parseHead($0) }
        #expect(
            result
                == .complete(
                    RequestHead(
                        method: "GET", target: "/", version: .http1_1,
                        headers: HTTPHeaders([("Host", "a")])), consumed: get.utf8.count))
    }

    /// The parser goes on from where it stopped instead of reading the start again (picohttpparser's
    /// `last_len`): bytes it has taken are not looked at a second time, here shown by changing them.
    @Test func grownBufferIsNotRescanned() throws {
        var parser = RequestParser()
        var bytes = Array("GET /a HTTP/1.1\r\nHo".utf8)
        #expect(try bytes.withUnsafeBytes { try parser.parseHead($0) } == .needMore)
        bytes.replaceSubrange(0..<3, with: "PUT".utf8)
        bytes += "st: a\r\n\r\n".utf8
        let result = try bytes.withUnsafeBytes { try parser.parseHead($0) }
        #expect(
            result
                == .complete(
                    RequestHead(
                        method: "GET", target: "/a", version: .http1_1,
                        headers: HTTPHeaders([("Host", "a")])), consumed: bytes.count))
    }

    /// Values are checked eight bytes at a time: a byte must be judged the same wherever it sits in a word.
    @Test(arguments: [UInt8(0x00), 0x01, 0x0D, 0x1F, 0x7F])
    func forbiddenByteAnywhereInALongValue(_ forbidden: UInt8) {
        for position in 0..<20 {
            var value = Array("abcdefghijklmnopqrst".utf8)
            value[position] = forbidden
            let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: ".utf8) + value + Array("\r\n\r\n".utf8)
            let error: ParseError = forbidden == 0x0D ? .bareCarriageReturn : .invalidHeaderValue(name: "X-A")
            #expect(parseWhole(bytes) == .failure(error), "at \(position)")
        }
    }

    /// Obs-text (0x80–0xFF) is field content, UTF-8 or not (RFC 9110 5.5), and comes back byte for byte.
    @Test(arguments: [[UInt8(0x09)], [0x20], [0x7E], Array("é".utf8), Array("€".utf8), [0x80], [0xE9, 0xFF]])
    func allowedTextAnywhereInALongValue(_ text: [UInt8]) {
        let filler = Array("abcdefghijklmnopqrst".utf8)
        for position in 1..<19 {
            let value = Array(filler[..<position] + text + filler[(position + 1)...])
            let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: ".utf8) + value + Array("\r\n\r\n".utf8)
            guard case .success(.complete(let head, _)) = parseWhole(bytes) else {
                Issue.record("rejected at \(position)")
                continue
            }
            let parsed = head.headers.first(name: "X-A").map { FieldValue.withBytes(of: $0) { Array($0) } }
            #expect(parsed == value, "at \(position)")
        }
    }

    @Test func errorMessagesNeverEchoValues() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer s3cr3t\u{0}\r\n\r\n".utf8)
        guard case .failure(let error) = parseWhole(bytes) else {
            Issue.record("a NUL in a value was accepted")
            return
        }
        #expect(error == .invalidHeaderValue(name: "Authorization"))
        #expect(!error.description.contains("s3cr3t"))
    }

    @Test func sizeLimitsAnswer431AndTheRest400() {
        #expect(ParseError.headTooLarge(limit: 1).status == 431)
        #expect(ParseError.requestLineTooLong(limit: 1).status == 431)
        #expect(ParseError.tooManyHeaders(limit: 1).status == 431)
        #expect(ParseError.bareLineFeed.status == 400)
        #expect(ParseError.trailersTooLarge(limit: 1).status == 400)
        #expect(ParseError.unsupportedVersion(HTTPVersion(major: 2, minor: 0)).status == 400)
    }

    @Test func metricLabelsCarryNoPayload() {
        #expect(ParseError.invalidHeaderValue(name: "X-Secret-Name").metricLabel == "invalid_header_value")
        #expect(ParseError.unsupportedTransferEncoding("gzip").metricLabel == "unsupported_transfer_encoding")
        #expect(ParseError.headTooLarge(limit: 65536).metricLabel == "head_too_large")
    }
}

@Suite struct BodyFramingTests {
    private static func framing(
        _ fields: [(String, String)], version: HTTPVersion = .http1_1
    ) -> Result<BodyFraming, ParseError> {
        let head = RequestHead(
            method: "POST", target: "/", version: version, headers: HTTPHeaders([("Host", "a")] + fields))
        return Result { () throws(ParseError) in try BodyFraming(head: head) }
    }

    @Test func framingFromTheHead() {
        #expect(Self.framing([]) == .success(.none))
        #expect(Self.framing([("Content-Length", "0")]) == .success(.contentLength(0)))
        #expect(Self.framing([("Content-Length", "42")]) == .success(.contentLength(42)))
        #expect(Self.framing([("Content-Length", "042")]) == .success(.contentLength(42)))
        #expect(Self.framing([("Content-Length", "9223372036854775807")]) == .success(.contentLength(Int.max)))
        #expect(Self.framing([("Content-Length", "5")], version: .http1_0) == .success(.contentLength(5)))
        #expect(Self.framing([("Transfer-Encoding", "chunked")]) == .success(.chunked))
        #expect(Self.framing([("transfer-encoding", "Chunked")]) == .success(.chunked))
    }

    @Test func identicalContentLengthsCollapse() {
        #expect(Self.framing([("Content-Length", "5, 5")]) == .success(.contentLength(5)))
        #expect(Self.framing([("Content-Length", "5"), ("content-length", "5")]) == .success(.contentLength(5)))
        #expect(Self.framing([("Content-Length", "5,5"), ("Content-Length", "5")]) == .success(.contentLength(5)))
    }

    @Test(arguments: [
        ("5, 6", ParseError.differingContentLengths),
        ("-1", .invalidContentLength),
        ("+5", .invalidContentLength),
        ("5 5", .invalidContentLength),
        ("5,", .invalidContentLength),
        ("", .invalidContentLength),
        ("0x10", .invalidContentLength),
        ("1e3", .invalidContentLength),
        ("٥", .invalidContentLength),
        ("9223372036854775808", .invalidContentLength),
        ("99999999999999999999", .invalidContentLength),
    ])
    func rejectedContentLength(_ value: String, _ error: ParseError) {
        #expect(Self.framing([("Content-Length", value)]) == .failure(error))
    }

    @Test func differingContentLengthFields() {
        #expect(Self.framing([("Content-Length", "5"), ("Content-Length", "6")]) == .failure(.differingContentLengths))
    }

    @Test func smugglingShapesAreRejected() {
        #expect(
            Self.framing([("Content-Length", "5"), ("Transfer-Encoding", "chunked")]) == .failure(.conflictingFraming))
        #expect(
            Self.framing([("Transfer-Encoding", "chunked"), ("Content-Length", "5")]) == .failure(.conflictingFraming))
        #expect(
            Self.framing([("Transfer-Encoding", "chunked")], version: .http1_0) == .failure(.transferEncodingInHTTP10))
        #expect(
            Self.framing([("Transfer-Encoding", "gzip, chunked")])
                == .failure(.unsupportedTransferEncoding("gzip, chunked")))
        #expect(
            Self.framing([("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")])
                == .failure(.unsupportedTransferEncoding("chunked, chunked")))
        #expect(Self.framing([("Transfer-Encoding", "identity")]) == .failure(.unsupportedTransferEncoding("identity")))
        #expect(Self.framing([("Transfer-Encoding", "")]) == .failure(.unsupportedTransferEncoding("")))
        #expect(Self.framing([("Transfer-Encoding", "xchunked")]) == .failure(.unsupportedTransferEncoding("xchunked")))
    }
}
