// SPDX-License-Identifier: Apache-2.0

/// How far a connection has got with the response to its current request.
struct ResponseProgress {
    /// How the body is delimited on the wire to the client.
    enum Framing: Equatable {
        /// No body bytes are sent (HEAD, 204, 304).
        case none
        /// `Content-Length` as the response head gave it.
        case contentLength
        /// `Transfer-Encoding: chunked` added by token-proxy.
        case chunked
        /// The body ends when the connection closes (HTTP/1.0 client, length unknown).
        case untilClose
    }

    /// The request's method and version decide framing and keep-alive; nil when the head was unreadable.
    let request: RequestHead?
    var keepAlive: Bool
    var framing = Framing.none

    init(request: RequestHead?, keepAlive: Bool? = nil) {
        self.request = request
        self.keepAlive = keepAlive ?? request?.keepAlive ?? false
    }

    /// Writes an interim (1xx) response: its status line and fields, with no framing of its own.
    static func prepareInterim(_ head: ResponseHead, into output: inout ByteQueue) {
        appendStatusLine(of: head, to: &output)
        for (name, value) in head.headers {
            output.appendField(name, value)
        }
        output.append("\r\n")
    }

    private static func appendStatusLine(of head: ResponseHead, to output: inout ByteQueue) {
        output.append("HTTP/1.1 ")
        output.append(number: head.status)
        output.append(" ")
        output.append(fieldValue: head.reason)
        output.append("\r\n")
    }

    /// Decides the framing for `head` and appends the head, as it goes on the wire, to `output`.
    /// A head without `Date` gets one for `now`: token-proxy is the origin of its own answers, and
    /// adds it to an upstream's that lacks it (RFC 9110 6.6.1).
    mutating func prepare(_ head: ResponseHead, into output: inout ByteQueue, now: HTTPDate = .now()) {
        let version = request?.version ?? .http1_1
        if request?.method == "HEAD" || head.forbidsBody {
            framing = .none
        } else if head.headers.contains(name: "Content-Length") {
            framing = .contentLength
        } else if version == .http1_1 {
            framing = .chunked
        } else {
            framing = .untilClose
            keepAlive = false
        }
        Self.appendStatusLine(of: head, to: &output)
        for (name, value) in head.headers where !name.caseInsensitiveEquals("Connection") {
            output.appendField(name, value)
        }
        if !head.headers.contains(name: "Date") {
            output.appendField("Date", now.fieldValue)
        }
        if framing == .chunked {
            output.appendField("Transfer-Encoding", "chunked")
        }
        if !keepAlive {
            output.appendField("Connection", "close")
        } else if version == .http1_0 {
            output.appendField("Connection", "keep-alive")
        }
        output.append("\r\n")
    }
}

extension ByteQueue {
    /// `name: value` and a line end.
    fileprivate mutating func appendField(_ name: String, _ value: String) {
        append(name)
        append(": ")
        append(fieldValue: value)
        append("\r\n")
    }

    /// A `FieldValue` String (a field value or a reason phrase) as the bytes it stands for.
    fileprivate mutating func append(fieldValue value: String) {
        FieldValue.withBytes(of: value) { append($0) }
    }
}
