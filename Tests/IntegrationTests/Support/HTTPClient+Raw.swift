// SPDX-License-Identifier: Apache-2.0

extension HTTPClient {
    /// Sends `text` exactly as written, for requests `HTTPRequest` will not build, and reads the response.
    func exchange(raw text: String) throws -> HTTPResponse {
        try send(text)
        return try readResponse()
    }
}
