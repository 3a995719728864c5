// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct ResponseProgressTests {
    /// RFC 9110's example instant, `Sun, 06 Nov 1994 08:49:37 GMT`.
    private static let now = HTTPDate(secondsSince1970: 784_111_777)
    private static let dateLine = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"

    private func wire(_ head: ResponseHead, request: RequestHead?) -> (String, ResponseProgress) {
        var progress = ResponseProgress(request: request)
        var output = ByteQueue()
        progress.prepare(head, into: &output, now: Self.now)
        let text = output.withUnsafeReadableBytes { String(decoding: $0, as: UTF8.self) }
        return (text, progress)
    }

    private func get(_ version: HTTPVersion, _ fields: [HTTPHeaders.Field] = []) -> RequestHead {
        RequestHead(method: "GET", target: "/", version: version, headers: HTTPHeaders(fields))
    }

    @Test func lengthKnownKeepsTheUpstreamsFieldsAndDropsItsConnection() {
        let head = ResponseHead(
            status: 200, headers: HTTPHeaders([("Content-Length", "5"), ("Connection", "close"), ("X-A", "1")]))
        let (text, progress) = wire(head, request: get(.http1_1))
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\(Self.dateLine)\r\n")
        #expect(progress.framing == .contentLength)
        #expect(progress.keepAlive)
    }

    @Test func obsTextInValuesAndReasonGoesOutByteForByte() {
        let head = ResponseHead(
            status: 200, reason: "Fine \u{E9}",
            headers: HTTPHeaders([("Content-Length", "0"), ("X-Raw", "\u{E9}\u{FF}")]))
        var progress = ResponseProgress(request: get(.http1_1))
        var output = ByteQueue()
        progress.prepare(head, into: &output, now: Self.now)
        let bytes = output.withUnsafeReadableBytes { Array($0) }
        #expect(
            bytes == Array("HTTP/1.1 200 Fine ".utf8) + [0xE9] + Array("\r\nContent-Length: 0\r\nX-Raw: ".utf8) + [
                0xE9, 0xFF,
            ] + Array("\r\n\(Self.dateLine)\r\n".utf8))
    }

    @Test func lengthUnknownIsChunkedForHTTP11AndUntilCloseForHTTP10() {
        let head = ResponseHead(status: 404, reason: "Nope")
        let (chunked, progress11) = wire(head, request: get(.http1_1))
        #expect(chunked == "HTTP/1.1 404 Nope\r\n\(Self.dateLine)Transfer-Encoding: chunked\r\n\r\n")
        #expect(progress11.framing == .chunked)
        let (untilClose, progress10) = wire(head, request: get(.http1_0, [("Connection", "keep-alive")]))
        #expect(untilClose == "HTTP/1.1 404 Nope\r\n\(Self.dateLine)Connection: close\r\n\r\n")
        #expect(progress10.framing == .untilClose)
        #expect(!progress10.keepAlive)
    }

    @Test func anUpstreamsDateIsKept() {
        let head = ResponseHead(
            status: 200, headers: HTTPHeaders([("date", "Mon, 07 Nov 1994 08:49:37 GMT"), ("Content-Length", "0")]))
        let (text, _) = wire(head, request: get(.http1_1))
        #expect(text == "HTTP/1.1 200 OK\r\ndate: Mon, 07 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func datesAreIMFFixdate() {
        #expect(HTTPDate(secondsSince1970: 0).fieldValue == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate(secondsSince1970: 1_709_210_096).fieldValue == "Thu, 29 Feb 2024 12:34:56 GMT")
    }

    /// Content-Length on HEAD and 304 is the length the body would have: it passes, and nothing frames a body.
    @Test func headAnd304KeepTheUpstreamsContentLength() {
        let head = RequestHead(method: "HEAD", target: "/", version: .http1_1, headers: HTTPHeaders())
        let fields = HTTPHeaders([("Content-Length", "1234"), ("Date", "x")])
        for (response, request) in [
            (ResponseHead(status: 200, headers: fields), head),
            (ResponseHead(status: 304, headers: fields), get(.http1_1)),
        ] {
            let (text, progress) = wire(response, request: request)
            #expect(text.hasSuffix("\r\nContent-Length: 1234\r\nDate: x\r\n\r\n"))
            #expect(progress.framing == .none)
        }
    }

    @Test func headRequestsAndBodilessStatusesHaveNoBody() {
        let head = RequestHead(method: "HEAD", target: "/", version: .http1_1, headers: HTTPHeaders())
        #expect(wire(ResponseHead(status: 200), request: head).1.framing == .none)
        #expect(wire(ResponseHead(status: 304), request: get(.http1_1)).1.framing == .none)
    }

    @Test func keptAliveHTTP10ConnectionsAreToldSo() {
        let head = ResponseHead(status: 204)
        let (text, _) = wire(head, request: get(.http1_0, [("Connection", "keep-alive")]))
        #expect(text == "HTTP/1.1 204 No Content\r\n\(Self.dateLine)Connection: keep-alive\r\n\r\n")
    }

    @Test(arguments: [(0, 10, "0"), (7, 10, "7"), (200, 10, "200"), (65536, 16, "10000"), (255, 16, "ff")])
    func numbersAreWrittenInTheirRadix(value: Int, radix: Int, expected: String) {
        var output = ByteQueue()
        output.append(number: value, radix: radix)
        #expect(output.withUnsafeReadableBytes { String(decoding: $0, as: UTF8.self) } == expected)
    }
}
