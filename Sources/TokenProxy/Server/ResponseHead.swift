// SPDX-License-Identifier: Apache-2.0

/// The status and end-to-end headers of a response to a client app. The
/// connection adds framing (`Content-Length` or chunked) and `Connection`.
struct ResponseHead: Equatable, Sendable {
    var status: Int
    var reason: String
    var headers: HTTPHeaders

    init(status: Int, reason: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.reason = reason.flatMap { $0.isEmpty ? nil : $0 } ?? Self.standardReason(for: status)
        self.headers = headers
    }

    /// Whether a response with this status never has a body (RFC 9110 6.4.1).
    var forbidsBody: Bool { status < 200 || status == 204 || status == 304 }

    static func standardReason(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 421: "Misdirected Request"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}
