// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One `-----BEGIN label-----` block: its label, its RFC 1421 headers (legacy
/// encrypted keys carry `Proc-Type` and `DEK-Info`) and its decoded body.
struct PEMBlock {
    let label: String
    var headers: [String: String] = [:]
    let body: [UInt8]
    /// The block's text as found, for libcrypto's own PEM decoder.
    var text: [UInt8] = []

    /// The block as PEM text: base64 in 64-column lines, `\n` line ends.
    var encoded: [UInt8] {
        let base64 = Array(Data(body).base64EncodedData())
        var out = Array("-----BEGIN \(label)-----\n".utf8)
        out.reserveCapacity(base64.count + base64.count / 64 + 64)
        var start = 0
        while start < base64.count {
            let end = min(start + 64, base64.count)
            out += base64[start..<end]
            out.append(0x0A)
            start = end
        }
        out += Array("-----END \(label)-----\n".utf8)
        return out
    }

    /// Every block in `bytes`, in order; text between blocks is ignored.
    /// Returns nil when a block is not terminated or its base64 is invalid.
    static func blocks(in bytes: [UInt8]) -> [PEMBlock]? {
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        var blocks: [PEMBlock] = []
        var index = 0
        while index < lines.count {
            guard let label = marker("-----BEGIN ", lines[index]) else {
                index += 1
                continue
            }
            let first = index
            var headers: [String: String] = [:]
            var base64: [UInt8] = []
            index += 1
            while index < lines.count, marker("-----END ", lines[index]) == nil {
                let line = lines[index]
                if let colon = line.firstIndex(of: 0x3A) {
                    let name = String(decoding: line[..<colon], as: UTF8.self)
                    headers[name] = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(
                        in: .whitespaces)
                } else {
                    base64 += line.filter { $0 != 0x20 && $0 != 0x09 }
                }
                index += 1
            }
            guard index < lines.count, marker("-----END ", lines[index]) == label,
                let body = Data(base64Encoded: Data(base64))
            else { return nil }
            let text = lines[first...index].joined(separator: [0x0A]) + [0x0A]
            blocks.append(PEMBlock(label: label, headers: headers, body: Array(body), text: Array(text)))
            base64.wipe()
            index += 1
        }
        return blocks
    }

    private static func marker(_ prefix: String, _ line: ArraySlice<UInt8>) -> String? {
        let trimmed = line.drop { $0 == 0x20 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        let suffix = Array("-----".utf8)
        guard trimmed.starts(with: Array(prefix.utf8)), trimmed.count >= prefix.utf8.count + suffix.count,
            Array(trimmed.suffix(suffix.count)) == suffix
        else { return nil }
        return String(decoding: trimmed.dropFirst(prefix.utf8.count).dropLast(suffix.count), as: UTF8.self)
    }
}
