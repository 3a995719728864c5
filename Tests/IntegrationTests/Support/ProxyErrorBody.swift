// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The JSON body of an error token-proxy answers itself: `{"error": CODE, "message": TEXT}`.
struct ProxyErrorBody: Decodable, Sendable {
    let error: String
    let message: String

    init(response: HTTPResponse) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(response.body))
    }
}
