// SPDX-License-Identifier: Apache-2.0

/// Writes JSON string literals (RFC 8259 section 7) for the small bodies token-proxy makes itself.
public enum JSONText {
    public static func quoted(_ text: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 2)
        result.append(UInt8(ascii: "\""))
        // Only ASCII bytes are escaped; the bytes of other characters (all 0x80 or above) pass as they are.
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                result.append(UInt8(ascii: "\\"))
                result.append(byte)
            case UInt8(ascii: "\n"): result.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): result.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): result.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                result.append(contentsOf: #"\u00"#.utf8)
                result.append(hexDigit(byte >> 4))
                result.append(hexDigit(byte & 0xF))
            default:
                result.append(byte)
            }
        }
        result.append(UInt8(ascii: "\""))
        return String(decoding: result, as: UTF8.self)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
