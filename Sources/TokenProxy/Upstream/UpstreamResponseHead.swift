// SPDX-License-Identifier: Apache-2.0

/// The status line and headers of an upstream response, as curl reported them.
struct UpstreamResponseHead: Equatable {
    var status: Int
    var reason: String
    var headers: HTTPHeaders

    /// Parses a status line such as `HTTP/1.1 200 OK` or `HTTP/2 200`.
    static func statusLine(_ line: Substring) -> (status: Int, reason: String)? {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let status = Int(parts[1]) else {
            return nil
        }
        return (status, parts.count == 3 ? String(parts[2]) : "")
    }
}
