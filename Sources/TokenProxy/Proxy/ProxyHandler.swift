// SPDX-License-Identifier: Apache-2.0
import Logging

/// The proxy's answer to client requests: route by host, then forward with the
/// route's token. One per event loop; runs on that loop's queue.
final class ProxyHandler: RequestHandler, Sendable {
    /// Request fields that are not forwarded besides the hop-by-hop ones:
    /// curl sets `Host` and `Content-Length` for the upstream, and token-proxy answered `Expect` itself.
    private static let replacedFields = ["Host", "Content-Length", "Expect"]

    private let routes: [Route]
    private let table: RouteTable
    private let loop: EventLoop
    private let logger: Logger

    init(routes: [Route], loop: EventLoop, logger: Logger) {
        self.routes = routes
        table = RouteTable(routes: routes.map(\.configuration))
        self.loop = loop
        self.logger = logger
    }

    func admit(_ head: RequestHead) -> ProxyError? {
        let refusal: ProxyError
        do {
            _ = try route(for: head)
            return nil
        } catch {
            refusal = error
        }
        logger.info(
            "request refused",
            metadata: ["method": "\(head.method)", "target": "\(head.target)", "status": "\(refusal.status)",
                       "error": "\(refusal.code)"])
        return refusal
    }

    func respond(to request: ClientRequest, sink: ResponseSink) {
        let started = ContinuousClock.now
        let head = request.head
        guard let (route, target) = try? route(for: head) else {
            preconditionFailure("admit(_:) accepted a request without a route")
        }
        var headers = head.headers.endToEnd
        Self.replacedFields.forEach { headers.remove(name: $0) }
        if case .none = route.credentials {} else { headers.remove(name: "Authorization") }
        let upstreamRequest = UpstreamRequest(
            url: route.upstreamURL(for: target.pathAndQuery), method: head.method, headers: headers, body: request.body,
            timeout: route.timeout(forPath: target.pathAndQuery), connection: route.connection)
        let exchange = UpstreamExchange(request: upstreamRequest, route: route, sink: sink, multi: loop.multi) {
            [logger] summary in
            var metadata: Logger.Metadata = [
                "route": "\(route.name)", "method": "\(head.method)", "host": "\(target.host ?? "-")",
                "path": "\(target.path)", "status": "\(summary.status)", "tries": "\(summary.tries)",
                "duration_ms": "\((ContinuousClock.now - started).milliseconds)",
            ]
            if let error = summary.error { metadata["error"] = "\(error)" }
            logger.info("request", metadata: metadata)
        }
        exchange.start()
    }

    private func route(for head: RequestHead) throws(ProxyError) -> (Route, RequestTarget) {
        if head.method == "CONNECT" { throw .connectNotSupported }
        let target = try RequestTarget(head: head)
        guard let index = table.routeIndex(for: target) else {
            throw .noRoute(host: target.host ?? "(none)")
        }
        return (routes[index], target)
    }
}

extension RequestTarget {
    /// The path without the query, for logs (queries may carry secrets of their own).
    var path: Substring {
        pathAndQuery.prefix { $0 != "?" }
    }
}
