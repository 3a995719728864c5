// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What token-proxy answered to a request it refused, and whether it closed the connection afterwards;
/// `Equatable` so that a table of hostile requests compares each outcome in one expectation.
struct Refusal: Equatable, CustomStringConvertible {
    let status: Int
    /// The JSON `error` code, or `not JSON` when the body is not token-proxy's error body.
    let error: String
    /// The server closed the connection after the response, sending nothing more.
    let closed: Bool

    var description: String { "\(status) \(error)\(closed ? ", closed" : ", left open")" }
}

extension HTTPClient {
    /// Sends `bytes` exactly as given, reads one response, then waits up to the read timeout for the close.
    ///
    /// A reset counts as a close: token-proxy may close with request bytes still unread, which makes the
    /// kernel answer the client's next segment with RST after the response.
    func refusal(after bytes: [UInt8]) throws -> Refusal {
        try send(bytes)
        return try refusal()
    }

    func refusal(after text: String) throws -> Refusal {
        try refusal(after: Array(text.utf8))
    }

    /// Reads one response, then waits up to the read timeout for the close.
    func refusal() throws -> Refusal {
        let response = try readResponse()
        let error = (try? ProxyErrorBody(response: response))?.error ?? "not JSON"
        let closed: Bool
        do {
            closed = try serverCloses()
        } catch HarnessError.socket(_, let code) where code == ECONNRESET {
            closed = true
        } catch HarnessError.socket {
            closed = false  // the read timed out: the connection was left open
        }
        return Refusal(status: response.status, error: error, closed: closed)
    }
}
