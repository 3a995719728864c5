// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Logging

/// The proxy's answer to client requests: check the client, route by host, then
/// forward with the route's token. One per event loop.
///
/// `@unchecked Sendable` because it is confined to its loop's queue: the route
/// set and client access are replaced there too, through `install(_:access:)`.
final class ProxyHandler: RequestHandler, @unchecked Sendable {
    /// Request fields that are not forwarded besides the hop-by-hop ones: curl sets `Host`
    /// and `Content-Length` for the upstream, token-proxy answered `Expect` itself and sets
    /// `X-Request-Id`.
    private static let replacedFields = ["Host", "Content-Length", "Expect", RequestIDs.header]
    /// On a route with credentials the client's own `Authorization` goes too: the token replaces it.
    private static let replacedFieldsWithToken = replacedFields + ["Authorization"]

    private let loop: EventLoop
    /// Every loop of the server, for routes whose transfers run on one loop (`multiplexesUpstream`).
    private let loops: [EventLoop]
    private let logger: Logger
    private let inFlight: DispatchGroup
    private var routeSet: RouteSet
    private var access: ClientAccess
    private var requestIDs = RequestIDs()

    /// - Parameter inFlight: entered for each request being answered, so a drain can wait for them.
    init(
        routes: RouteSet, access: ClientAccess, loop: EventLoop, loops: [EventLoop], inFlight: DispatchGroup,
        logger: Logger
    ) {
        routeSet = routes
        self.access = access
        self.loop = loop
        self.loops = loops
        self.inFlight = inFlight
        self.logger = logger
    }

    /// Serves later requests with `routes` and `access`; requests already admitted finish with the old ones.
    func install(_ routes: RouteSet, access: ClientAccess) {
        loop.queue.async { [self] in (routeSet, self.access) = (routes, access) }
    }

    func admit(_ head: RequestHead, from peer: ClientPeer) -> Admission {
        do {
            try access.check(head, from: peer)
            let (route, target) = try route(for: head)
            return .accept(RoutedRequest(handler: self, route: route, target: target, peer: peer))
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

    /// Forwards a complete request on the route its head was admitted to.
    fileprivate func forward(
        _ request: ClientRequest, route: Route, target: RequestTarget, peer: ClientPeer, sink: ResponseSink
    ) {
        let started = ContinuousClock.now
        let head = request.head
        let requestID = requestIDs.take(from: head.headers)
        let replaced: [String]
        if case .none = route.credentials {
            replaced = Self.replacedFields
        } else {
            replaced = Self.replacedFieldsWithToken
        }
        let upstreamRequest = UpstreamRequest(
            url: route.upstreamURL(for: target.pathAndQuery), method: head.method,
            headers: head.headers.endToEnd(dropping: replaced), requestID: requestID, body: request.body,
            timeout: route.timeout(forPath: target.pathAndQuery), connection: route.connection)
        inFlight.enter()
        let upstreamLoop = route.multiplexesUpstream ? loops[route.index % loops.count] : loop
        let exchangeSink: ResponseSink =
            upstreamLoop === loop
            ? sink
            : HandOffSink(
                target: sink, targetQueue: loop.queue, homeQueue: upstreamLoop.queue,
                highWater: ConnectionLimits.default.outboundHighWater)
        let exchange = UpstreamExchange(
            request: upstreamRequest, route: route, sink: exchangeSink, multi: upstreamLoop.multi
        ) {
            [logger, inFlight, metrics = upstreamLoop.requestMetrics] summary in
            let duration = ContinuousClock.now - started
            metrics.requestFinished(route: route.name, status: summary.status, duration: duration, tries: summary.tries)
            var metadata: Logger.Metadata = [
                "request.id": "\(requestID)", "route": "\(route.name)", "method": "\(head.method)",
                "host": "\(target.host ?? "-")", "path": "\(target.path)", "status": "\(summary.status)",
                "tries": "\(summary.tries)", "duration_ms": "\(duration.milliseconds)",
                "upstream.protocol": "\(summary.upstreamProtocol ?? "-")",
            ].merging(peer.logMetadata) { $1 }
            if let error = summary.error { metadata["error"] = "\(error)" }
            if let reason = summary.reason { metadata["reason"] = "\(reason)" }
            logger.info("request", metadata: metadata)
            inFlight.leave()
        }
        if upstreamLoop === loop {
            exchange.start()
        } else {
            upstreamLoop.queue.async { exchange.start() }
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

/// A request admitted on a route: the route and target worked out from its head serve it once its body is in,
/// so a request is routed once, and a reload meanwhile does not change where it goes.
private struct RoutedRequest: RequestResponder {
    let handler: ProxyHandler
    let route: Route
    let target: RequestTarget
    let peer: ClientPeer

    func respond(to request: ClientRequest, sink: ResponseSink) {
        handler.forward(request, route: route, target: target, peer: peer, sink: sink)
    }
}

extension RequestTarget {
    /// The path without the query, for logs (queries may carry secrets of their own).
    var path: Substring {
        pathAndQuery.prefix { $0 != "?" }
    }
}
