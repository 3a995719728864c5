// SPDX-License-Identifier: Apache-2.0

/// The admin listener: `/healthz`, `/readyz` and `/metrics` for probes and scrapers.
final class AdminHandler: RequestHandler, WholeBodyResponder, Sendable {
    private let routes: @Sendable () -> RouteSet
    private let metrics: @Sendable () -> [UInt8]

    /// - Parameters:
    ///   - routes: the routes in force (they change on reload).
    ///   - metrics: the metrics in Prometheus text format.
    init(routes: @escaping @Sendable () -> RouteSet, metrics: @escaping @Sendable () -> [UInt8]) {
        self.routes = routes
        self.metrics = metrics
    }

    func respond(to head: RequestHead, body: [UInt8], sink: ResponseSink) {
        let json = HTTPHeaders([("Content-Type", "application/json")])
        guard head.method == "GET" || head.method == "HEAD" else {
            sink.respond(status: 405, headers: json, body: Array(#"{"error":"method_not_allowed"}"#.utf8))
            return
        }
        switch head.target.prefix(while: { $0 != "?" }) {
        case "/healthz":
            sink.respond(status: 200, headers: json, body: Array(#"{"status":"ok"}"#.utf8))
        case "/readyz":
            let (status, body) = readiness()
            sink.respond(status: status, headers: json, body: body)
        case "/metrics":
            sink.respond(
                status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]),
                body: metrics())
        default:
            sink.respond(status: 404, headers: json, body: Array(#"{"error":"not_found"}"#.utf8))
        }
    }

    /// 200 when every client-credentials route holds a valid token, else 503 naming those that do not, and why.
    private func readiness() -> (Int, [UInt8]) {
        let waiting = routes().tokenSources.compactMap { source -> String? in
            let (ready, lastError) = source.readiness()
            guard !ready else { return nil }
            let reason = lastError.map(\.description) ?? "the first token has not arrived yet"
            return "{\"route\":\(JSONText.quoted(source.routeName)),\"reason\":\(JSONText.quoted(reason))}"
        }
        guard !waiting.isEmpty else { return (200, Array(#"{"status":"ready"}"#.utf8)) }
        return (503, Array("{\"status\":\"not_ready\",\"routes\":[\(waiting.joined(separator: ","))]}".utf8))
    }
}
