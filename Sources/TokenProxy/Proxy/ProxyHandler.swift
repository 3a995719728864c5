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
    /// The CA in force for new intercepted tunnels; nil without `intercept`.
    private var interception: Interception?

    /// - Parameter inFlight: entered for each request being answered, so a drain can wait for them.
    init(
        routes: RouteSet, access: ClientAccess, interception: Interception?, loop: EventLoop, inFlight: DispatchGroup,
        logger: Logger
    ) {
        routeSet = routes
        self.access = access
        self.interception = interception
        self.loop = loop
        self.logger = logger
        forwarder = Forwarder(loop: loop, inFlight: inFlight, logger: logger)
    }

    /// Serves later requests with `routes`, `access` and `interception`; requests already admitted finish
    /// with the old ones, and tunnels already open keep their CA.
    func install(_ routes: RouteSet, access: ClientAccess, interception: Interception?) {
        loop.queue.async { [self] in (routeSet, self.access, self.interception) = (routes, access, interception) }
    }

    func admit(_ head: RequestHead, from peer: ClientPeer, in tunnel: Tunnel?) -> Admission {
        do {
            if let tunnel {
                // The tunnel's CONNECT passed the access check; the requests inside carry no proxy credentials.
                let (route, target) = try route(for: head, in: tunnel)
                return .accept(responder(for: head, route: route, target: target, mode: tunnel.mode, peer: peer))
            }
            try access.check(head, from: peer)
            if head.method == "CONNECT" {
                let grant = TunnelGrant(
                    authority: try tunnelAuthority(for: head), interception: interception, logger: logger)
                return .openTunnel(grant)
            }
            let (route, target) = try route(for: head)
            return .accept(responder(for: head, route: route, target: target, mode: .plain, peer: peer))
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

    /// Forwards the request, unless its `Max-Forwards` makes token-proxy its final recipient.
    private func responder(
        for head: RequestHead, route: Route, target: RequestTarget, mode: ServingMode, peer: ClientPeer
    ) -> any RequestResponder {
        switch MaxForwards(head) {
        case .answerHere:
            FinalRecipient(route: route, mode: mode, peer: peer, metrics: loop.requestMetrics, logger: logger)
        case .forward(let remaining):
            RoutedRequest(
                forwarder: forwarder, route: route, target: target, mode: mode, peer: peer,
                remainingForwards: remaining)
        }
    }

    private func route(for head: RequestHead) throws(ProxyError) -> (Route, RequestTarget) {
        let target = try RequestTarget(head: head)
        guard let route = routeSet.route(for: target) else {
            throw .noRoute(host: target.host ?? "(none)")
        }
        return (route, target)
    }

    /// A tunnel opens only to a host a route names; to port 443 only when its TLS can be intercepted.
    private func tunnelAuthority(for head: RequestHead) throws(ProxyError) -> TunnelAuthority {
        let authority = try TunnelAuthority(connectTarget: head.target)
        guard routeSet.route(for: authority) != nil else { throw .noRoute(host: authority.host) }
        if authority.port == 443, interception == nil { throw .connectNotSupported }
        return authority
    }

    /// A request in a tunnel goes to the tunnel's route, and must name the tunnel's host.
    private func route(for head: RequestHead, in tunnel: Tunnel) throws(ProxyError) -> (Route, RequestTarget) {
        if head.method == "CONNECT" { throw .badRequest("CONNECT inside a tunnel") }
        let target = try RequestTarget(head: head)
        guard tunnel.authority.isNamed(by: target, defaultPort: tunnel.defaultPort) else {
            throw .misdirectedRequest(tunnel: tunnel.authority.description)
        }
        // A reload may have dropped the route since the tunnel opened.
        guard let route = routeSet.route(for: tunnel.authority) else { throw .noRoute(host: tunnel.authority.host) }
        return (route, target)
    }
}

/// A request admitted on a route: the route and target worked out from its head serve it,
/// so a request is routed once, and a reload meanwhile does not change where it goes.
private struct RoutedRequest: RequestResponder {
    let forwarder: Forwarder
    let route: Route
    let target: RequestTarget
    let mode: ServingMode
    let peer: ClientPeer
    let remainingForwards: Int?

    func respond(to request: ClientRequest, sink: ResponseSink, loop: EventLoop) -> ExchangeCancellation? {
        forwarder.forward(
            request, route: route, target: target, mode: mode, peer: peer, remainingForwards: remainingForwards,
            sink: sink)
    }
}
