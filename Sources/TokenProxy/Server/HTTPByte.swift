// SPDX-License-Identifier: Apache-2.0

/// The bytes and byte classes of HTTP/1.1 syntax (RFC 9110 5.5 and 5.6, RFC 9112 2).
enum HTTPByte {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let delete: UInt8 = 0x7F

    /// Whether `byte` may appear in a token: a method or a field name.
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        // One bit per ASCII byte: a shift and a mask, without a table and its bounds checks.
        if byte < 64 {
            return (0x03FF_6CFA_0000_0000 as UInt64) &>> UInt64(byte) & 1 == 1
        }
        return byte < 128 && (0x57FF_FFFF_C7FF_FFFE as UInt64) &>> UInt64(byte - 64) & 1 == 1
    }

    /// Whether all eight bytes of `word` are visible ASCII or space (0x20...0x7E), tested at once.
    @inline(__always)
    static func isVisibleASCII(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        // The "has a byte less than n" and "has a zero byte" tricks: a byte's high bit survives the masks
        // only if that byte is below 0x20, or equals 0x7F (zero after the XOR).
        let belowSpace = (word &- ones &* 0x20) & ~word & highBits
        let delete = word ^ (ones &* 0x7F)
        let isDelete = (delete &- ones) & ~delete & highBits
        return (belowSpace | isDelete | word & highBits) == 0
    }

    /// Whether `byte` is an ASCII digit (`DIGIT`, RFC 5234).
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    /// Whether `byte` is visible ASCII (0x21...0x7E), all that a token or id in a header may hold.
    @inline(__always)
    static func isVisible(_ byte: UInt8) -> Bool {
        byte > space && byte < delete
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// Whether `byte` is a control character that field values, chunk extensions and request targets must not
    /// contain: every CTL except HTAB.
    @inline(__always)
    static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != tab) || byte == delete
    }
}
