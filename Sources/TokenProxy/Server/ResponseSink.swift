// SPDX-License-Identifier: Apache-2.0

/// Where a request handler writes its response to the client app.
///
/// Implemented by `ClientConnection`; every call happens on the connection's loop queue.
protocol ResponseSink: AnyObject {
    /// Sends the status line and headers; the sink adds framing and `Connection`.
    func sendHead(_ head: ResponseHead)
    /// Sends an interim (1xx) response ahead of the final head; dropped for an HTTP/1.0 client,
    /// which must not get one (RFC 9110 15.2).
    func sendInterim(_ head: ResponseHead)
    /// Sends body bytes; they are buffered as far as the socket does not take them.
    func sendBody(_ bytes: UnsafeRawBufferPointer)
    /// True while more response bytes are buffered than the limit: hold back until `whenDrained` runs.
    var isBackedUp: Bool { get }
    /// Runs `action` once, when the buffered response bytes have been written out.
    func whenDrained(_ action: @escaping () -> Void)
    /// Ends the response; the connection goes on with the next request or closes.
    func finish()
    /// Closes the connection at once: the response started but cannot be completed.
    func abort()
}

extension ResponseSink {
    /// Sends a whole response with a body in one go.
    func respond(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]) {
        var headers = headers
        headers.replace(name: "Content-Length", value: String(body.count))
        sendHead(ResponseHead(status: status, headers: headers))
        body.withUnsafeBytes { sendBody($0) }
        finish()
    }

    /// Answers with one of the proxy's own errors as JSON.
    func respond(with error: ProxyError) {
        respond(
            status: error.status, headers: HTTPHeaders([("Content-Type", "application/json")] + error.responseFields),
            body: error.jsonBody)
    }
}
