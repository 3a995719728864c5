// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Logging

/// The proxy's admission of client requests: checks the client, routes each by host, and hands
/// the admitted ones to the loop's `Forwarder` with their route. One per event loop.
///
/// `@unchecked Sendable` because it is confined to its loop's queue: the route
/// set and client access are replaced there too, through `install(_:access:)`.
final class ProxyHandler: RequestHandler, @unchecked Sendable {
    private let loop: EventLoop
    private let forwarder: Forwarder
    private let logger: Logger
    private var routeSet: RouteSet
    private var access: ClientAccess

    /// - Parameter inFlight: entered for each request being answered, so a drain can wait for them.
    init(routes: RouteSet, access: ClientAccess, loop: EventLoop, inFlight: DispatchGroup, logger: Logger) {
        routeSet = routes
        self.access = access
        self.loop = loop
        self.logger = logger
        forwarder = Forwarder(loop: loop, inFlight: inFlight, logger: logger)
    }

    /// Serves later requests with `routes` and `access`; requests already admitted finish with the old ones.
    func install(_ routes: RouteSet, access: ClientAccess) {
        loop.queue.async { [self] in (routeSet, self.access) = (routes, access) }
    }

    func admit(_ head: RequestHead, from peer: ClientPeer) -> Admission {
        do {
            try access.check(head, from: peer)
            let (route, target) = try route(for: head)
            return .accept(RoutedRequest(forwarder: forwarder, route: route, target: target, peer: peer))
        } catch {
            loop.requestMetrics.requestRefused(error)
            logger.info(
                "request refused",
                metadata: [
                    "method": "\(head.method)", "target": "\(head.target)", "status": "\(error.status)",
                    "error": "\(error.code)",
                ].merging(peer.logMetadata) { $1 })
            return .refuse(error)
        }
    }

    private func route(for head: RequestHead) throws(ProxyError) -> (Route, RequestTarget) {
        if head.method == "CONNECT" { throw .connectNotSupported }
        let target = try RequestTarget(head: head)
        guard let route = routeSet.route(for: target) else {
            throw .noRoute(host: target.host ?? "(none)")
        }
        return (route, target)
    }
}

/// A request admitted on a route: the route and target worked out from its head serve it,
/// so a request is routed once, and a reload meanwhile does not change where it goes.
private struct RoutedRequest: RequestResponder {
    let forwarder: Forwarder
    let route: Route
    let target: RequestTarget
    let peer: ClientPeer

    func respond(to request: ClientRequest, sink: ResponseSink, loop: EventLoop) -> ExchangeCancellation? {
        forwarder.forward(request, route: route, target: target, peer: peer, sink: sink)
    }
}
