// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Logging

/// Sends an admitted request upstream: applies the header policy, starts the exchange on the
/// connection's own loop, and writes the request's log line and metrics when it ends.
///
/// One per event loop, confined to its queue.
final class Forwarder {
    /// Request fields that are not forwarded besides the hop-by-hop ones: curl sets `Host`
    /// and `Content-Length` for the upstream, token-proxy answered `Expect` itself and sets
    /// `X-Request-Id`.
    private static let replacedFields = ["Host", "Content-Length", "Expect", RequestIDs.header]
    /// On a route with credentials the client's own `Authorization` goes too: the token replaces it.
    private static let replacedFieldsWithToken = replacedFields + ["Authorization"]

    private let loop: EventLoop
    private let logger: Logger
    private let inFlight: DispatchGroup
    private var requestIDs = RequestIDs()

    /// - Parameter inFlight: entered for each request being answered, so a drain can wait for them.
    init(loop: EventLoop, inFlight: DispatchGroup, logger: Logger) {
        self.loop = loop
        self.inFlight = inFlight
        self.logger = logger
    }

    /// - Parameter remainingForwards: the `Max-Forwards` to send, already decremented; nil: as received.
    func forward(
        _ request: ClientRequest, route: Route, target: RequestTarget, mode: ServingMode, peer: ClientPeer,
        remainingForwards: Int?, sink: ResponseSink
    ) -> ExchangeCancellation {
        let started = ContinuousClock.now
        let head = request.head
        let requestID = requestIDs.take(from: head.headers)
        // TRACE asks the upstream to echo the request back: it must not carry the token (RFC 9110 9.3.8).
        let credentials = head.method == "TRACE" ? CredentialSource.none : route.credentials
        let replaced: [String]
        if case .none = route.credentials {
            replaced = Self.replacedFields
        } else {
            replaced = Self.replacedFieldsWithToken
        }
        var headers = head.headers.endToEnd(dropping: replaced)
        if let remainingForwards {
            headers.replace(name: MaxForwards.fieldName, value: String(remainingForwards))
        }
        let upstreamRequest = UpstreamRequest(
            url: route.upstreamURL(for: target.pathAndQuery), method: head.method,
            headers: headers, requestID: requestID,
            body: request.body.map { .stream($0) }, timeout: route.timeout(forPath: target.pathAndQuery),
            connection: route.connection)
        inFlight.enter()
        let exchange = UpstreamExchange(
            request: upstreamRequest, route: route, credentials: credentials, sink: sink, loop: loop
        ) {
            [logger, inFlight, metrics = loop.requestMetrics] summary in
            let duration = ContinuousClock.now - started
            metrics.requestFinished(
                route: route.name, mode: mode, status: summary.status, duration: duration, tries: summary.tries)
            logger.info(
                "request",
                metadata: Self.logFields(requestID, route, head, target, mode, peer, summary, duration).metadata)
            inFlight.leave()
        }
        exchange.start()
        return ExchangeCancellation(exchange)
    }

    /// The request's log line, fields in key order (as the log handler sorts metadata).
    private static func logFields(
        _ requestID: String, _ route: Route, _ head: RequestHead, _ target: RequestTarget, _ mode: ServingMode,
        _ peer: ClientPeer, _ summary: UpstreamExchange.Summary, _ duration: Duration
    ) -> LogFields {
        var fields = LogFields(capacity: 14)
        peer.appendLogFields(to: &fields)
        fields.append("duration_ms", .number(Int(duration.milliseconds)))
        if let error = summary.error { fields.append("error", .text(error)) }
        fields.append("host", .text(target.host ?? "-"))
        fields.append("method", .text(head.method))
        fields.append("mode", .text(mode.rawValue))
        fields.append("path", .part(target.path))
        if let reason = summary.reason { fields.append("reason", .text(reason)) }
        fields.append("request.id", .text(requestID))
        fields.append("route", .text(route.name))
        fields.append("status", .number(summary.status))
        fields.append("tries", .number(summary.tries))
        fields.append("upstream.protocol", .text(summary.upstreamProtocol ?? "-"))
        return fields
    }
}

extension RequestTarget {
    /// The path without the query, for logs (queries may carry secrets of their own).
    var path: Substring {
        pathAndQuery.prefix { $0 != "?" }
    }
}
