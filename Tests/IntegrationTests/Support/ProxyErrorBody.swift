// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The JSON body of an error token-proxy answers itself: `{"error": CODE, "message": TEXT}`.
struct ProxyErrorBody: Decodable, Equatable, Sendable {
    let error: String
    let message: String

    /// Reads `response`'s body; throws when it is not such a JSON object or is not labelled JSON.
    init(response: HTTPResponse) throws {
        guard response.header("Content-Type") == "application/json" else {
            throw HarnessError.malformedResponse(
                "error response has Content-Type \(response.header("Content-Type") ?? "none"), not application/json")
        }
        self = try JSONDecoder().decode(ProxyErrorBody.self, from: Data(response.body))
    }
}
