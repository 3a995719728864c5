// SPDX-License-Identifier: Apache-2.0

/// A complete request from a client app.
struct ClientRequest {
    var head: RequestHead
    /// The body as received (de-chunked); nil when the request had no body framing.
    var body: [UInt8]?
}

/// What a handler decided about a request head, before its body is read.
enum Admission {
    /// Read the body, then let this responder answer the complete request.
    case accept(any RequestResponder)
    /// Answer with this error at once; the body is never read.
    case refuse(ProxyError)
}

/// Decides about the requests of client connections; called on the connection's loop queue.
/// Sendable because a server hands each loop's handler to that loop's queue.
protocol RequestHandler: AnyObject, Sendable {
    /// Looks at a request head once, when it has arrived: whatever the handler works out
    /// about the request (its route, say) travels in the responder. `peer` is who sent it.
    func admit(_ head: RequestHead, from peer: ClientPeer) -> Admission
}

/// Answers one admitted request; called on the connection's loop queue.
protocol RequestResponder {
    /// Answers a complete request through `sink`, now or later.
    func respond(to request: ClientRequest, sink: ResponseSink)
}

/// A handler that takes every request and answers it itself.
extension RequestHandler where Self: RequestResponder {
    func admit(_ head: RequestHead, from peer: ClientPeer) -> Admission { .accept(self) }
}
