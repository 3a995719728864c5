// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct ResponseProgressTests {
    private func wire(_ head: ResponseHead, request: RequestHead?) -> (String, ResponseProgress) {
        var progress = ResponseProgress(request: request)
        var output = ByteQueue()
        progress.prepare(head, into: &output)
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
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\n")
        #expect(progress.framing == .contentLength)
        #expect(progress.keepAlive)
    }

    @Test func obsTextInValuesAndReasonGoesOutByteForByte() {
        let head = ResponseHead(
            status: 200, reason: "Fine \u{E9}",
            headers: HTTPHeaders([("Content-Length", "0"), ("X-Raw", "\u{E9}\u{FF}")]))
        var progress = ResponseProgress(request: get(.http1_1))
        var output = ByteQueue()
        progress.prepare(head, into: &output)
        let bytes = output.withUnsafeReadableBytes { Array($0) }
        #expect(
            bytes == Array("HTTP/1.1 200 Fine ".utf8) + [0xE9] + Array("\r\nContent-Length: 0\r\nX-Raw: ".utf8) + [
                0xE9, 0xFF,
            ] + Array("\r\n\r\n".utf8))
    }

    @Test func lengthUnknownIsChunkedForHTTP11AndUntilCloseForHTTP10() {
        let head = ResponseHead(status: 404, reason: "Nope")
        let (chunked, progress11) = wire(head, request: get(.http1_1))
        #expect(chunked == "HTTP/1.1 404 Nope\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(progress11.framing == .chunked)
        let (untilClose, progress10) = wire(head, request: get(.http1_0, [("Connection", "keep-alive")]))
        #expect(untilClose == "HTTP/1.1 404 Nope\r\nConnection: close\r\n\r\n")
        #expect(progress10.framing == .untilClose)
        #expect(!progress10.keepAlive)
    }

    @Test func headRequestsAndBodilessStatusesHaveNoBody() {
        let head = RequestHead(method: "HEAD", target: "/", version: .http1_1, headers: HTTPHeaders())
        #expect(wire(ResponseHead(status: 200), request: head).1.framing == .none)
        #expect(wire(ResponseHead(status: 304), request: get(.http1_1)).1.framing == .none)
    }

    @Test func keptAliveHTTP10ConnectionsAreToldSo() {
        let head = ResponseHead(status: 204)
        let (text, _) = wire(head, request: get(.http1_0, [("Connection", "keep-alive")]))
        #expect(text == "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test(arguments: [(0, 10, "0"), (7, 10, "7"), (200, 10, "200"), (65536, 16, "10000"), (255, 16, "ff")])
    func numbersAreWrittenInTheirRadix(value: Int, radix: Int, expected: String) {
        var output = ByteQueue()
        output.append(number: value, radix: radix)
        #expect(output.withUnsafeReadableBytes { String(decoding: $0, as: UTF8.self) } == expected)
    }
}
