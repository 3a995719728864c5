// SPDX-License-Identifier: Apache-2.0

extension HTTPClient {
    /// Sends `text` exactly as written, for requests `HTTPRequest` will not build, and reads the response.
    func exchange(raw text: String) throws -> HTTPResponse {
        try send(text)
        return try readResponse()
    }

    /// Sends `bytes` one at a time, 100 ms apart, as a slowloris client does, until a send fails;
    /// returns how many were sent. Once the proxy has closed, a send draws a reset and the one after
    /// it fails, so fewer than all of them means the proxy cut the client off.
    func trickle(_ bytes: [UInt8]) async throws -> Int {
        var sent = 0
        for byte in bytes {
            do { try send([byte]) } catch { break }
            sent += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        return sent
    }
}
