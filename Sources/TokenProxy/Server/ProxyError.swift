// SPDX-License-Identifier: Apache-2.0

/// An error the proxy answers itself, with the contract's status, code and message.
///
/// The message is for the client app's developer: it says what went wrong and
/// never carries a token or a secret.
public enum ProxyError: Error, Equatable, CustomStringConvertible {
    case badRequest(String)
    case noRoute(host: String)
    case connectNotSupported
    /// A request inside a tunnel names another authority than the tunnel's.
    case misdirectedRequest(tunnel: String)
    case bodyTooLarge(limit: Int)
    case headersTooLarge(limit: Int)
    case requestTimeout(seconds: Double)
    case tooManyConnections(limit: Int)
    case tokenUnavailable(route: String, reason: String)
    case upstreamUnreachable(String)
    case upstreamTimeout(seconds: Double)
    case clientNotAllowed
    case proxyAuthenticationRequired

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .noRoute, .clientNotAllowed: 403
        case .proxyAuthenticationRequired: 407
        case .connectNotSupported: 405
        case .misdirectedRequest: 421
        case .bodyTooLarge: 413
        case .headersTooLarge: 431
        case .requestTimeout: 408
        case .tooManyConnections: 503
        case .tokenUnavailable, .upstreamUnreachable: 502
        case .upstreamTimeout: 504
        }
    }

    /// The `error` field of the JSON body, also a metric label.
    public var code: String {
        switch self {
        case .badRequest: "bad_request"
        case .noRoute: "no_route"
        case .connectNotSupported: "connect_not_supported"
        case .misdirectedRequest: "misdirected_request"
        case .bodyTooLarge: "body_too_large"
        case .headersTooLarge: "headers_too_large"
        case .requestTimeout: "request_timeout"
        case .tooManyConnections: "too_many_connections"
        case .tokenUnavailable: "token_unavailable"
        case .upstreamUnreachable: "upstream_unreachable"
        case .upstreamTimeout: "upstream_timeout"
        case .clientNotAllowed: "client_not_allowed"
        case .proxyAuthenticationRequired: "proxy_authentication_required"
        }
    }

    /// The `message` field of the JSON body.
    public var message: String {
        switch self {
        case .badRequest(let reason):
            "malformed request: \(reason)"
        case .noRoute(let host):
            "no route for host '\(host)'; add it to a route's hosts or configure a default route"
        case .connectNotSupported:
            "CONNECT to port 443 needs TLS interception, which is not configured: create a CA with "
                + "'token-proxy ca init' and set intercept.ca, or send plain http:// URLs to token-proxy"
        case .misdirectedRequest(let tunnel):
            "this request names another host than its tunnel's (\(tunnel)): open a tunnel to that host"
        case .bodyTooLarge(let limit):
            "request body is larger than \(limit) bytes"
        case .headersTooLarge(let limit):
            "request head is larger than \(limit) bytes"
        case .requestTimeout(let seconds):
            "the request did not arrive within \(seconds.formatted) s"
        case .tooManyConnections(let limit):
            "token-proxy already serves \(limit) connections; try again shortly"
        case .tokenUnavailable(let route, let reason):
            "no access token for route '\(route)': \(reason)"
        case .upstreamUnreachable(let reason):
            "upstream unreachable: \(reason)"
        case .upstreamTimeout(let seconds):
            "upstream did not answer within \(seconds.formatted) s"
        case .clientNotAllowed:
            "this client's address is not in token-proxy's clients.allow; ask its operator to add your network"
        case .proxyAuthenticationRequired:
            "token-proxy requires proxy credentials: send Proxy-Authorization: Basic with the clients.user and password"
        }
    }

    public var description: String { "\(code): \(message)" }

    /// Header fields the response needs besides `Content-Type`.
    var responseFields: [HTTPHeaders.Field] {
        self == .proxyAuthenticationRequired ? [("Proxy-Authenticate", "Basic realm=\"token-proxy\"")] : []
    }

    /// Whether the connection may carry another request after this refusal of a well-formed request
    /// without a body: yes for an unrouted host or missing credentials (the client may retry with them),
    /// no for a client that is not allowed at all.
    var keepsConnection: Bool {
        switch self {
        case .noRoute, .proxyAuthenticationRequired: true
        default: false
        }
    }

    /// The JSON body `{"error": CODE, "message": TEXT}`.
    var jsonBody: [UInt8] {
        Array("{\"error\":\(JSONText.quoted(code)),\"message\":\(JSONText.quoted(message))}\n".utf8)
    }

    /// Maps a parser rejection to the contract's status and code.
    init(_ error: ParseError, limits: ParserLimits) {
        self = error.status == 431 ? .headersTooLarge(limit: limits.maxHeadBytes) : .badRequest(error.description)
    }
}

extension Double {
    /// Seconds without a trailing ".0" for whole numbers.
    var formatted: String {
        rounded() == self ? String(Int(self)) : String(self)
    }
}
