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
    var headSent = false

    init(request: RequestHead?, keepAlive: Bool? = nil) {
        self.request = request
        self.keepAlive = keepAlive ?? request?.keepAlive ?? false
    }

    /// Decides the framing for `head` and returns the head as it goes on the wire.
    mutating func prepare(_ head: ResponseHead) -> String {
        var headers = head.headers
        let version = request?.version ?? .http1_1
        if request?.method == "HEAD" || head.forbidsBody {
            framing = .none
        } else if headers.contains(name: "Content-Length") {
            framing = .contentLength
        } else if version == .http1_1 {
            framing = .chunked
            headers.add(name: "Transfer-Encoding", value: "chunked")
        } else {
            framing = .untilClose
            keepAlive = false
        }
        headers.remove(name: "Connection")
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        var text = "HTTP/1.1 \(head.status) \(head.reason)\r\n"
        for (name, value) in headers {
            text += "\(name): \(value)\r\n"
        }
        return text + "\r\n"
    }
}
