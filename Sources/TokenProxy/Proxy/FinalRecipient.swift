// SPDX-License-Identifier: Apache-2.0
import Logging

/// Answers a `TRACE` or `OPTIONS` whose `Max-Forwards` is `0` as the final recipient, without
/// forwarding it (RFC 9110 7.6.2): `OPTIONS` gets `200` with no content (9.3.7); `TRACE` gets the
/// request it sent back as `message/http` (9.3.8), less the fields that may carry credentials.
/// No token is fetched or used.
struct FinalRecipient: WholeBodyResponder {
    /// Fields a reflected `TRACE` leaves out: they may carry credentials.
    static let sensitiveFields = ["Authorization", "Proxy-Authorization", "Cookie"]

    let route: Route
    let mode: ServingMode
    let peer: ClientPeer
    let metrics: RequestMetrics
    let logger: Logger

    func respond(to head: RequestHead, body: [UInt8], sink: ResponseSink) {
        if head.method == "TRACE" {
            sink.respond(
                status: 200, headers: HTTPHeaders([("Content-Type", "message/http")]), body: Self.reflection(of: head))
        } else {
            sink.respond(status: 200, body: [])
        }
        metrics.requestFinished(route: route.name, mode: mode, status: 200, duration: .zero, tries: 0)
        var fields = LogFields(capacity: 6)
        peer.appendLogFields(to: &fields)
        fields.append("method", .text(head.method))
        fields.append("mode", .text(mode.rawValue))
        fields.append("route", .text(route.name))
        fields.append("status", .number(200))
        logger.info("request answered by token-proxy: Max-Forwards is 0", metadata: fields.metadata)
    }

    /// The request line and fields as received, in `message/http` form, less the sensitive fields.
    static func reflection(of head: RequestHead) -> [UInt8] {
        var text = "\(head.method) \(head.target) \(head.version)\r\n"
        for (name, value) in head.headers where !sensitiveFields.contains(where: name.caseInsensitiveEquals) {
            text += "\(name): \(value)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}
