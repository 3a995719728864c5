// SPDX-License-Identifier: Apache-2.0

/// One HTTP request as token-proxy sends it upstream, and how to reach the upstream.
struct UpstreamRequest {
    /// Absolute URL: upstream base + client path and query.
    var url: String
    var method: String
    /// The client's headers to pass on, already cleaned of hop-by-hop fields and of those token-proxy sets.
    var headers: HTTPHeaders
    /// Sent as `X-Request-Id` when set.
    var requestID: String?
    /// The route's token for this try, sent as `Authorization: Bearer <token>`.
    var bearerToken: Secret?
    /// Request body; nil sends none.
    var body: UpstreamBody?
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

/// A request body as curl sends it.
enum UpstreamBody {
    /// Small and whole, such as a token request's form.
    case bytes([UInt8])
    /// Streamed from the client connection through curl's read callback.
    case stream(RequestBody)
}
