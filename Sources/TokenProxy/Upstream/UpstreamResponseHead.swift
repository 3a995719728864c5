// SPDX-License-Identifier: Apache-2.0

/// The status line and headers of an upstream response, as curl reported them.
struct UpstreamResponseHead: Equatable {
    var status: Int
    var reason: String
    var headers: HTTPHeaders

    /// Parses a status line such as `HTTP/1.1 200 OK` or `HTTP/2 200`.
    static func statusLine(_ line: Substring) -> (status: Int, reason: String)? {
        let bytes = line.utf8
        guard line.hasPrefix("HTTP/"), let firstSpace = bytes.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let codeStart = bytes.index(after: firstSpace)
        guard let codeEnd = bytes.index(codeStart, offsetBy: 3, limitedBy: bytes.endIndex),
            let status = Int(line[codeStart..<codeEnd]), status >= 100
        else { return nil }
        if codeEnd == bytes.endIndex { return (status, "") }
        guard bytes[codeEnd] == UInt8(ascii: " ") else { return nil }
        return (status, String(line[bytes.index(after: codeEnd)...]))
    }
}
