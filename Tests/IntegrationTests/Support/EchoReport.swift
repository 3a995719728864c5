// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What the echo service received, as it reports it in its JSON response body.
struct EchoReport: Decodable, Sendable {
    let method: String
    let path: String
    let query: String
    /// The HTTP version nginx (or whoever called the echo service) used.
    let httpVersion: String
    /// Header fields in order, as `[name, value]`.
    let headers: [[String]]
    /// nginx's serial number of the connection the request arrived on, from `X-Nginx-Connection`.
    let nginxConnection: String?
    /// The HTTP version the client used towards nginx, from `X-Nginx-Protocol`.
    let nginxProtocol: String?
    let bodyLength: Int
    let bodySha256: String
    /// The body, for bodies up to 64 KiB: text, or Base64 when `bodyEncoding` is `base64`.
    let body: String?
    let bodyEncoding: String?

    /// Every value of header `name`, compared case-insensitively.
    func values(of name: String) -> [String] {
        headers.filter { $0.first?.caseInsensitiveCompare(name) == .orderedSame }.compactMap(\.last)
    }

    /// The first value of header `name`.
    func header(_ name: String) -> String? {
        values(of: name).first
    }

    init(json: Data) throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        self = try decoder.decode(EchoReport.self, from: json)
    }

    init(response: HTTPResponse) throws {
        try self.init(json: Data(response.body))
    }
}
