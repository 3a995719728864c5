// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One header field, in the case and order it was on the wire.
struct HTTPField: Equatable, Sendable {
    let name: String
    let value: String

    init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A response as `HTTPClient` read it off the wire.
struct HTTPResponse: Sendable {
    /// How the body's end was found, so tests can tell chunked from `Content-Length` responses.
    enum Framing: Equatable, Sendable {
        /// No body by definition: a 1xx, 204 or 304 status or the answer to HEAD.
        case none
        case contentLength
        case chunked
        /// The body ran until the server closed the connection.
        case connectionClose
    }

    let version: String
    let status: Int
    let reason: String
    let headers: [HTTPField]
    var body: [UInt8] = []
    var framing: Framing = .none
    var trailers: [HTTPField] = []
    /// The status line and header fields as they came, for bytes a String would not keep.
    let rawHead: [UInt8]

    /// The first value of `name`, compared case-insensitively.
    func header(_ name: String) -> String? {
        values(of: name).first
    }

    /// Every value of `name`, in order.
    func values(of name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    var text: String {
        String(decoding: body, as: UTF8.self)
    }

    /// Parses a status line and header fields; `head` excludes the blank line that ends it.
    init(head: ArraySlice<UInt8>) throws {
        rawHead = Array(head)
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else {
            throw HarnessError.malformedResponse("status line \(lines[0].debugDescription)")
        }
        version = String(statusLine[0])
        self.status = status
        reason = statusLine.count > 2 ? String(statusLine[2]) : ""
        headers = try lines.dropFirst().map(HTTPField.init(line:))
    }
}

extension HTTPField {
    /// Parses `Name: value`.
    init(line: String) throws {
        guard let colon = line.firstIndex(of: ":") else {
            throw HarnessError.malformedResponse("header line \(line.debugDescription)")
        }
        self.init(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
}
