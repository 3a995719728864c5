// SPDX-License-Identifier: Apache-2.0

/// A client app's request as soon as its head is in.
struct ClientRequest {
    var head: RequestHead
    /// The body as it arrives (de-chunked); nil when the request has no body framing.
    var body: RequestBody?
}

/// What a handler decided about a request head, before its body is read.
enum Admission {
    /// Let this responder answer; the body streams to it.
    case accept(any RequestResponder)
    /// Answer with this error at once; the body is never read.
    case refuse(ProxyError)
    /// Answer `200 Connection established` to this `CONNECT` and serve what the tunnel carries.
    case openTunnel(TunnelGrant)
}

/// Decides about the requests of client connections; called on the connection's loop queue.
/// Sendable because a server hands each loop's handler to that loop's queue.
protocol RequestHandler: AnyObject, Sendable {
    /// Looks at a request head once, when it has arrived: whatever the handler works out
    /// about the request (its route, say) travels in the responder. `peer` is who sent it, and
    /// `tunnel` the `CONNECT` tunnel it came through, if any.
    func admit(_ head: RequestHead, from peer: ClientPeer, in tunnel: Tunnel?) -> Admission
}

/// Answers one admitted request; called on the connection's loop queue.
protocol RequestResponder {
    /// Starts answering `request` through `sink`, now or later, while its body streams in.
    /// Returns how to stop the answer if the client leaves first, when there is anything to stop.
    func respond(to request: ClientRequest, sink: ResponseSink, loop: EventLoop) -> ExchangeCancellation?
}

/// A handler that takes every request and answers it itself.
extension RequestHandler where Self: RequestResponder {
    func admit(_ head: RequestHead, from peer: ClientPeer, in tunnel: Tunnel?) -> Admission { .accept(self) }
}
