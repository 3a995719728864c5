// SPDX-License-Identifier: Apache-2.0
import CoreMetrics

/// The request metrics of one event loop (`token_proxy_requests_total`,
/// `token_proxy_request_duration_seconds`, `token_proxy_upstream_tries_total`,
/// `token_proxy_upstream_retries_total`, `token_proxy_requests_by_mode_total`), with their handles kept per route and
/// status: making a handle asks the metrics backend (a lock, a dictionary and a
/// name check in swift-prometheus), updating one does not.
///
/// Confined to the loop's queue. Label values come from bounded sets: route
/// names and status codes.
final class RequestMetrics {
    private final class RouteHandles {
        let duration: Timer
        let tries: Counter
        let retries: Counter
        var requests: [Int: Counter] = [:]

        init(route: String) {
            duration = Timer(label: "token_proxy_request_duration_seconds", dimensions: [("route", route)])
            tries = Counter(label: "token_proxy_upstream_tries_total", dimensions: [("route", route)])
            retries = Counter(label: "token_proxy_upstream_retries_total", dimensions: [("route", route)])
        }
    }

    private var routes: [String: RouteHandles] = [:]
    /// Requests refused before routing (`no_route`, `client_not_allowed`, ...), counted under route "-".
    private var refused: [Int: Counter] = [:]
    /// The same by error code (`token_proxy_requests_refused_total{error}`), which tells a refused
    /// client from an unrouted host where both are `403`.
    private var refusedByError: [String: Counter] = [:]
    /// Requests answered, by how they came: plain, in a tunnel, or in an intercepted tunnel.
    private var byMode: [ServingMode: Counter] = [:]

    /// One client request answered.
    func requestFinished(route: String, mode: ServingMode, status: Int, duration: Duration, tries: Int) {
        let modeCounter =
            byMode[mode] ?? Counter(label: "token_proxy_requests_by_mode_total", dimensions: [("mode", mode.rawValue)])
        byMode[mode] = modeCounter
        modeCounter.increment()
        let handles = routes[route] ?? makeHandles(route: route)
        Self.counter(in: &handles.requests, route: route, status: status).increment()
        handles.duration.recordNanoseconds(duration.nanoseconds)
        handles.tries.increment(by: tries)
        if tries > 1 { handles.retries.increment(by: tries - 1) }
    }

    /// A request refused before routing.
    func requestRefused(_ error: ProxyError) {
        Self.counter(in: &refused, route: "-", status: error.status).increment()
        let counter =
            refusedByError[error.code]
            ?? Counter(label: "token_proxy_requests_refused_total", dimensions: [("error", error.code)])
        refusedByError[error.code] = counter
        counter.increment()
    }

    private func makeHandles(route: String) -> RouteHandles {
        let handles = RouteHandles(route: route)
        routes[route] = handles
        return handles
    }

    private static func counter(in counters: inout [Int: Counter], route: String, status: Int) -> Counter {
        if let counter = counters[status] { return counter }
        let counter = Counter(
            label: "token_proxy_requests_total", dimensions: [("route", route), ("code", String(status))])
        counters[status] = counter
        return counter
    }
}
