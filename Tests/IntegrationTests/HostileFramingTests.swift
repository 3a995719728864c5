// SPDX-License-Identifier: Apache-2.0
import Testing

/// Requests whose framing two HTTP implementations could read differently (request smuggling) or that are
/// not HTTP at all: each gets `400 bad_request`, the connection is closed, and nothing reaches the upstream,
/// although every one of them names a host a route serves.
@Suite("Hostile input: framing")
struct HostileFramingTests {
    /// One hostile request, written byte for byte.
    struct Case: Sendable {
        let name: String
        let bytes: [UInt8]

        init(_ name: String, _ text: String) {
            self.name = name
            bytes = Array(text.utf8)
        }
    }

    private static let head = "POST http://api.test/framing HTTP/1.1\r\nHost: api.test\r\n"

    /// A chunked POST to a routed host whose body is `body`.
    private static func chunked(_ name: String, _ body: String) -> Case {
        Case(name, head + "Transfer-Encoding: chunked\r\n\r\n" + body)
    }

    /// A GET to a routed host with one extra header line, written as given (CRLF added).
    private static func field(_ name: String, _ line: String) -> Case {
        Case(name, "GET http://api.test/framing HTTP/1.1\r\nHost: api.test\r\n\(line)\r\n\r\n")
    }

    static let bodyFraming: [Case] = [
        Case(
            "Content-Length and Transfer-Encoding",
            head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Case(
            "Transfer-Encoding then Content-Length",
            head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
        Case("differing Content-Length fields", head + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        Case("differing Content-Length list", head + "Content-Length: 5, 6\r\n\r\nhello!"),
        Case("Content-Length with a sign", head + "Content-Length: +5\r\n\r\nhello"),
        Case("negative Content-Length", head + "Content-Length: -1\r\n\r\n"),
        Case("Content-Length with inner space", head + "Content-Length: 1 0\r\n\r\n0123456789"),
        Case("hex Content-Length", head + "Content-Length: 0x5\r\n\r\nhello"),
        Case("empty Content-Length", head + "Content-Length: \r\n\r\n"),
        Case("Content-Length over 64 bits", head + "Content-Length: 99999999999999999999999\r\n\r\n"),
        Case("Transfer-Encoding gzip", head + "Transfer-Encoding: gzip\r\n\r\n"),
        Case("Transfer-Encoding gzip, chunked", head + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        Case("Transfer-Encoding chunked, identity", head + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
        Case(
            "Transfer-Encoding twice",
            head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Case("Transfer-Encoding xchunked", head + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
        Case(
            "Transfer-Encoding in HTTP/1.0",
            "POST http://api.test/framing HTTP/1.0\r\nHost: api.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ]

    static let chunkFraming: [Case] = [
        chunked("chunk size not hex", "zz\r\nhello\r\n0\r\n\r\n"),
        chunked("negative chunk size", "-5\r\nhello\r\n0\r\n\r\n"),
        chunked("chunk size with 0x", "0x5\r\nhello\r\n0\r\n\r\n"),
        chunked("chunk size after a space", " 5\r\nhello\r\n0\r\n\r\n"),
        chunked("chunk size before a space", "5 \r\nhello\r\n0\r\n\r\n"),
        chunked("empty chunk size line", "\r\nhello\r\n0\r\n\r\n"),
        chunked("chunk size with 17 digits", "00000000000000005\r\nhello\r\n0\r\n\r\n"),
        chunked("chunk size over 64 bits", "fffffffffffffffff\r\n"),
        chunked("chunk longer than its size", "3\r\nhello\r\n0\r\n\r\n"),
        chunked(
            "chunk extension over the limit", "5;" + String(repeating: "a", count: 2000) + "\r\nhello\r\n0\r\n\r\n"),
        chunked("control character in a chunk extension", "5;a\u{1}b\r\nhello\r\n0\r\n\r\n"),
        chunked("bare LF after a chunk size", "5\nhello\r\n0\r\n\r\n"),
        chunked("bare CR after a chunk size", "5\rhello\r\n0\r\n\r\n"),
        chunked("obsolete folding in a trailer", "0\r\nX-T: a\r\n b\r\n\r\n"),
    ]

    static let lines: [Case] = [
        Case("bare LF line ends", "GET http://api.test/framing HTTP/1.1\nHost: api.test\n\n"),
        Case("bare LF after the request line", "GET http://api.test/framing HTTP/1.1\nHost: api.test\r\n\r\n"),
        Case("bare CR line end", "GET http://api.test/framing HTTP/1.1\rHost: api.test\r\n\r\n"),
        field("bare CR in a value", "X-A: a\rb"),
        field("NUL in a name", "X-\u{0}A: b"),
        field("NUL in a value", "X-A: a\u{0}b"),
        field("control character in a name", "X-\u{B}A: b"),
        field("control character in a value", "X-A: a\u{1}b"),
        field("DEL in a value", "X-A: a\u{7F}b"),
        field("obsolete line folding", "X-A: a\r\n b"),
        field("obsolete line folding with a tab", "X-A: a\r\n\tb"),
        field("space before the colon", "Content-Length : 5"),
        field("second Host", "Host: evil.test"),
        Case("HTTP/1.1 without Host", "GET /framing HTTP/1.1\r\nX-A: b\r\n\r\n"),
        Case("two spaces in the request line", "GET  http://api.test/framing HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        Case("HTTP/2.0 request line", "GET http://api.test/framing HTTP/2.0\r\nHost: api.test\r\n\r\n"),
        Case("lower-case version", "GET http://api.test/framing http/1.1\r\nHost: api.test\r\n\r\n"),
        Case("raw UTF-8 in the target", "GET http://api.test/fr\u{E4}ming HTTP/1.1\r\nHost: api.test\r\n\r\n"),
    ]

    static let targets: [Case] = [
        Case("userinfo in the URI", "GET http://user:pw@api.test/framing HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        Case("routed host as userinfo", "GET http://api.test@evil.test/framing HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        Case(
            "routed host and port as userinfo",
            "GET http://api.test:80@evil.test/framing HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        Case("https scheme", "GET https://api.test/framing HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        Case("ftp scheme", "GET ftp://api.test/framing HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        Case("file scheme", "GET file:///etc/passwd HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        Case("target without a scheme or slash", "GET api.test/framing HTTP/1.1\r\nHost: api.test\r\n\r\n"),
    ]

    @Test func ambiguousBodyFramingIsRejected() async throws {
        try await expectRejected(Self.bodyFraming)
    }

    @Test func badChunkFramingIsRejected() async throws {
        try await expectRejected(Self.chunkFraming)
    }

    @Test func badLinesAndFieldsAreRejected() async throws {
        try await expectRejected(Self.lines)
    }

    @Test func userinfoAndOtherSchemesAreRejected() async throws {
        try await expectRejected(Self.targets)
    }

    @Test func aSmuggledSecondRequestIsNeverRead() async throws {
        let stack = try await ProxyStack()
        let client = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))
        let smuggled = "GET http://api.test/smuggled HTTP/1.1\r\nHost: api.test\r\n\r\n"

        let refusal = try client.refusal(
            after: Self.head + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n" + smuggled)

        #expect(refusal == Refusal(status: 400, error: "bad_request", closed: true))
        #expect(try stack.upstream.requestCounts().isEmpty)
    }

    /// Sends each case on a connection of its own to one proxy, then checks that nothing went upstream.
    private func expectRejected(_ cases: [Case]) async throws {
        let stack = try await ProxyStack()
        for hostile in cases {
            do {
                let client = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))
                let refusal = try client.refusal(after: hostile.bytes)
                #expect(refusal == Refusal(status: 400, error: "bad_request", closed: true), "\(hostile.name)")
            } catch {
                Issue.record(error, "\(hostile.name)")
            }
        }
        #expect(try stack.upstream.requestCounts().isEmpty)
        #expect(try await stack.upstream.accessLog().isEmpty)
        #expect(stack.proxy.process.isRunning)
    }
}
