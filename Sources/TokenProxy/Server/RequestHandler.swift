// SPDX-License-Identifier: Apache-2.0

/// A complete request from a client app.
struct ClientRequest {
    var head: RequestHead
    /// The body as received (de-chunked); nil when the request had no body framing.
    var body: [UInt8]?
}

/// Decides about and answers the requests of client connections; called on the connection's loop queue.
/// Sendable because a server hands each loop's handler to that loop's queue.
protocol RequestHandler: AnyObject, Sendable {
    /// Looks at a request head before its body is read. An error is answered at once and the body is never read.
    func admit(_ head: RequestHead) -> ProxyError?
    /// Answers a complete request through `sink`, now or later.
    func respond(to request: ClientRequest, sink: ResponseSink)
}
