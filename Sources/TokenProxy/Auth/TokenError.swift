// SPDX-License-Identifier: Apache-2.0

/// Why a route has no access token. Messages name the token endpoint and what
/// it answered, never the client secret or a token.
public enum TokenError: Error, Equatable, CustomStringConvertible {
    /// The token endpoint could not be reached (connect, DNS, TLS, proxy, timeout).
    case unreachable(url: String, reason: String)
    /// The token endpoint answered with an error status.
    case refused(url: String, status: Int, error: String?, errorDescription: String?)
    /// The token endpoint answered 2xx but not with a usable token.
    case invalidResponse(url: String, status: Int, reason: String)
    /// No client assertion could be made: the assertion file is missing or expired, or signing failed.
    case assertionUnavailable(reason: String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason):
            return "token endpoint \(url) unreachable: \(reason)"
        case .refused(let url, let status, let error, let errorDescription):
            var text = "token endpoint \(url) answered HTTP \(status)"
            if let error { text += ", error \"\(error)\"" }
            if let errorDescription { text += ": \(errorDescription)" }
            return text
        case .invalidResponse(let url, let status, let reason):
            return "token endpoint \(url) answered HTTP \(status) without a usable token: \(reason)"
        case .assertionUnavailable(let reason):
            return "no client assertion for the token request: \(reason)"
        }
    }

    /// Short label without payload, for metrics.
    public var metricLabel: String {
        switch self {
        case .unreachable: "unreachable"
        case .refused: "refused"
        case .invalidResponse: "invalid_response"
        case .assertionUnavailable: "assertion_unavailable"
        }
    }
}
