// SPDX-License-Identifier: Apache-2.0

/// Just enough DER to take apart a PKCS#8 `EncryptedPrivateKeyInfo` and a
/// PKCS#5 `PBEParameter`: definite lengths, one element at a time.
struct DERReader {
    struct Element {
        let tag: UInt8
        let content: ArraySlice<UInt8>
        /// Tag, length and content, as they appear in the input.
        let encoded: ArraySlice<UInt8>
    }

    static let sequence: UInt8 = 0x30
    static let octetString: UInt8 = 0x04
    static let integer: UInt8 = 0x02
    static let objectIdentifier: UInt8 = 0x06

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var isAtEnd: Bool { index == bytes.endIndex }

    /// The next element if it has `tag`; nil when the input ends, the tag differs or a length is bad.
    mutating func read(_ tag: UInt8) -> Element? {
        let start = index
        guard bytes.endIndex - index >= 2, bytes[index] == tag else { return nil }
        var length = Int(bytes[index + 1])
        var cursor = index + 2
        if length & 0x80 != 0 {
            let width = length & 0x7F
            guard (1...4).contains(width), bytes.endIndex - cursor >= width else { return nil }
            length = bytes[cursor..<cursor + width].reduce(0) { $0 << 8 | Int($1) }
            cursor += width
        }
        guard bytes.endIndex - cursor >= length else { return nil }
        index = cursor + length
        return Element(tag: tag, content: bytes[cursor..<index], encoded: bytes[start..<index])
    }

    /// The element at the cursor whatever its tag, or nil at the end.
    mutating func readAny() -> Element? {
        guard !isAtEnd else { return nil }
        return read(bytes[index])
    }
}
