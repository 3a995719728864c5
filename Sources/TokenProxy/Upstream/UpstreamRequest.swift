// SPDX-License-Identifier: Apache-2.0

/// One HTTP request as token-proxy sends it upstream, and how to reach the upstream.
struct UpstreamRequest {
    /// Absolute URL: upstream base + client path and query.
    var url: String
    var method: String
    /// Headers to send, already cleaned of hop-by-hop fields and `Host`.
    var headers: HTTPHeaders
    /// Request body; nil sends none.
    var body: [UInt8]?
    /// Bound of this try, from sending to the last response byte.
    var timeout: Duration
    var connection: UpstreamConnection
    /// Open a new connection instead of taking one from the cache.
    var freshConnection = false
}

/// How curl reaches an upstream: TLS stores, chained proxy, HTTP version.
struct UpstreamConnection: Sendable {
    var tls: TLSMaterial?
    var proxy: ProxyRoute
    var httpVersion: UpstreamHTTPVersion
}
