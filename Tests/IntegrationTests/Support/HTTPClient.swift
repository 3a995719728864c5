// SPDX-License-Identifier: Apache-2.0

/// One client connection to a loopback port that speaks HTTP/1.x exactly as the test writes it.
///
/// It keeps the connection between responses, so keep-alive tests send
/// several requests on one client, and reads responses framed by
/// `Content-Length`, chunked encoding or connection close. Interim `1xx`
/// responses are returned by `readResponse` like any other, which is how an
/// `Expect: 100-continue` test sees the `100`. Every read waits at most the
/// `timeout` given at connection.
final class HTTPClient {
    let port: Int
    private let socket: LoopbackSocket
    /// Bytes received but not yet consumed by a response.
    private var buffer: [UInt8] = []
    private var peerClosed = false

    /// - Parameter source: the loopback address to connect from, such as 127.0.0.2; 127.0.0.1 when nil.
    init(port: Int, timeout: Duration = .seconds(30), from source: String? = nil) throws {
        self.port = port
        socket = try LoopbackSocket.connect(port: port, timeout: timeout, from: source)
    }

    /// Sends one request and returns its final response, skipping interim `1xx` responses.
    func exchange(_ request: HTTPRequest) throws -> HTTPResponse {
        try send(request)
        while true {
            let response = try readResponse(method: request.method)
            if !(100..<200).contains(response.status) { return response }
        }
    }

    func send(_ request: HTTPRequest) throws {
        try send(request.head(defaultHost: defaultHost) + request.encodedBody)
    }

    /// Sends the request line and headers only; for `Expect: 100-continue`, send `request.encodedBody` after the `100`.
    func sendHead(_ request: HTTPRequest) throws {
        try send(request.head(defaultHost: defaultHost))
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        try socket.send(bytes)
    }

    /// Half-closes the connection: the server reads end-of-stream and can still answer.
    func shutdownSending() {
        socket.shutdownSending()
    }

    /// Whether the server closes the connection (before sending anything more) within the read timeout.
    ///
    /// Use it to show that a connection ends; to show that one stays open, send another request on it.
    func serverCloses() throws -> Bool {
        do {
            try fill()
            return false
        } catch HarnessError.truncatedResponse {
            return true
        }
    }

    /// Reads the next response, interim or final; `method` tells whether it can have a body (HEAD cannot).
    func readResponse(method: String = "GET") throws -> HTTPResponse {
        var response = try HTTPResponse(head: readHead())
        // A 2xx to CONNECT opens the tunnel: what follows is the tunnel's, not a body (RFC 9110 9.3.6).
        let noBody =
            method == "HEAD" || (100..<200).contains(response.status)
            || response.status == 204 || response.status == 304
            || (method == "CONNECT" && (200..<300).contains(response.status))
        if noBody {
            return response
        }
        if response.header("Transfer-Encoding")?.lowercased().hasSuffix("chunked") == true {
            response.framing = .chunked
            response.body = try readChunkedBody(trailers: &response.trailers)
        } else if let length = response.header("Content-Length").flatMap(Int.init) {
            response.framing = .contentLength
            response.body = try take(length)
        } else {
            response.framing = .connectionClose
            while try !serverCloses() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    private var defaultHost: String { "127.0.0.1:\(port)" }

    private func readHead() throws -> ArraySlice<UInt8> {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var searchedUpTo = 0
        while true {
            if let end = firstRange(of: terminator, from: searchedUpTo) {
                let head = buffer[..<end]
                buffer.removeFirst(end + terminator.count)
                return ArraySlice(Array(head))
            }
            searchedUpTo = max(0, buffer.count - terminator.count + 1)
            try fill()
        }
    }

    private func readChunkedBody(trailers: inout [HTTPField]) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            let digits = sizeLine.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
            guard let size = Int(digits, radix: 16) else {
                throw HarnessError.malformedResponse("chunk size \(sizeLine.debugDescription)")
            }
            if size == 0 { break }
            body += try take(size)
            guard try readLine().isEmpty else { throw HarnessError.malformedResponse("chunk longer than its size") }
        }
        var line = try readLine()
        while !line.isEmpty {
            trailers.append(try HTTPField(line: line))
            line = try readLine()
        }
        return body
    }

    private func readLine() throws -> String {
        while true {
            if let end = firstRange(of: Array("\r\n".utf8), from: 0) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            try fill()
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    /// Appends the next bytes from the socket to the buffer; throws `truncatedResponse` at end of stream.
    private func fill() throws {
        guard !peerClosed else { throw HarnessError.truncatedResponse(received: buffer.count) }
        let bytes = try socket.receive()
        if bytes.isEmpty {
            peerClosed = true
            throw HarnessError.truncatedResponse(received: buffer.count)
        }
        buffer += bytes
    }

    private func firstRange(of needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= needle.count, start <= buffer.count - needle.count else { return nil }
        return (start...(buffer.count - needle.count)).first { offset in
            buffer[offset..<(offset + needle.count)].elementsEqual(needle)
        }
    }
}
