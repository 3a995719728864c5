// SPDX-License-Identifier: Apache-2.0

/// Request header lines as curl takes them (`CURLOPT_HTTPHEADER`), written one after
/// another into one buffer, each ending in NUL, with no string per line. Where each line
/// starts is recorded, not searched for, so a stray NUL inside a value can cut that line
/// short (as curl would) but never start another.
/// - SeeAlso: https://curl.se/libcurl/c/CURLOPT_HTTPHEADER.html
struct CurlHeaderLines {
    /// The lines, each followed by a NUL byte.
    private(set) var text: [UInt8] = []
    /// The offset in `text` of each line.
    private(set) var lineStarts: [Int] = []

    var count: Int { lineStarts.count }

    init(lines: Int, bytes: Int) {
        lineStarts.reserveCapacity(lines)
        text.reserveCapacity(bytes)
    }

    /// A field to send, its value a `FieldValue` String. An empty value is written `Name;`, since
    /// `Name:` tells curl to drop the header.
    mutating func append(name: some StringProtocol, value: some StringProtocol) {
        lineStarts.append(text.count)
        text += name.utf8
        if value.isEmpty {
            text.append(UInt8(ascii: ";"))
        } else {
            text += ": ".utf8
            FieldValue.withBytes(of: value) { text.append(contentsOf: $0) }
        }
        endLine()
    }

    /// `Name: <prefix><value>`, for values such as `Bearer <token>` without building the value first.
    mutating func append(name: some StringProtocol, prefix: some StringProtocol, value: some StringProtocol) {
        lineStarts.append(text.count)
        text += name.utf8
        text += ": ".utf8
        text += prefix.utf8
        text += value.utf8
        endLine()
    }

    /// `Name:`, which stops curl from sending a header of its own by that name.
    mutating func suppress(_ name: some StringProtocol) {
        lineStarts.append(text.count)
        text += name.utf8
        text.append(UInt8(ascii: ":"))
        endLine()
    }

    private mutating func endLine() {
        text.append(0)
    }
}
