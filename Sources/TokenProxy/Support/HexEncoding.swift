// SPDX-License-Identifier: Apache-2.0

extension Sequence<UInt8> {
    /// Each byte as two lower-case hex digits, joined by `separator`.
    func hexEncoded(separator: String = "") -> String {
        map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined(separator: separator)
    }
}
