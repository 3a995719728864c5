// SPDX-License-Identifier: Apache-2.0

/// One line of the nginx access log `NginxConfiguration` sets up.
struct NginxAccessLogEntry: Equatable, Sendable {
    /// nginx's serial number of the client connection; equal numbers mean a reused connection.
    let connection: Int
    /// `HTTP/1.1`, `HTTP/2.0`, ...
    let serverProtocol: String
    let status: Int
    /// The request line, e.g. `GET /x HTTP/1.1`.
    let request: String
    /// The `Authorization` header nginx received, `-` when there was none.
    let authorization: String

    /// Parses a tab-separated line; nil for anything else.
    init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, let connection = Int(fields[0]), let status = Int(fields[2]) else { return nil }
        self.connection = connection
        serverProtocol = fields[1]
        self.status = status
        request = fields[3]
        authorization = fields[4]
    }
}
