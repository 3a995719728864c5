// SPDX-License-Identifier: Apache-2.0

/// Field values (and reason phrases) as Strings that give back the bytes they came from.
///
/// A value is octets (RFC 9110 5.5): obs-text (0x80–0xFF) is valid and must pass an
/// intermediary unchanged, whether or not it forms UTF-8. A value of ASCII bytes is the
/// same String it always was. A value with any byte over 0x7F becomes one character per
/// byte (ISO-8859-1), which maps every byte sequence to a String and back without loss;
/// decoding it as UTF-8 would replace what is not UTF-8, and could not tell on the way out
/// which values were UTF-8. Values token-proxy makes itself are ASCII.
enum FieldValue {
    /// The String for a value's bytes.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        string(bytes, hasObsText: containsObsText(bytes))
    }

    /// The String for a value's bytes, when the caller has already looked for obs-text.
    static func string(_ bytes: UnsafeRawBufferPointer, hasObsText: Bool) -> String {
        guard hasObsText else { return String(decoding: bytes, as: UTF8.self) }
        var string = ""
        string.unicodeScalars.reserveCapacity(bytes.count)
        for byte in bytes { string.unicodeScalars.append(Unicode.Scalar(byte)) }
        return string
    }

    /// Calls `body` with the bytes a value stands for: its UTF-8 when it is ASCII, else one byte
    /// per character up to U+00FF (and UTF-8 for any character beyond, which only a value built
    /// outside a message could hold).
    static func withBytes<Result>(
        of value: some StringProtocol, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        let inPlace = value.utf8.withContiguousStorageIfAvailable { utf8 -> Result? in
            let bytes = UnsafeRawBufferPointer(utf8)
            return containsObsText(bytes) ? nil : body(bytes)
        }
        if let inPlace, let result = inPlace { return result }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            if scalar.value <= 0xFF {
                bytes.append(UInt8(scalar.value))
            } else {
                bytes += String(scalar).utf8
            }
        }
        return bytes.withUnsafeBytes(body)
    }

    /// Whether any byte is over 0x7F; eight bytes at a time.
    static func containsObsText(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while bytes.count - offset >= 8 {
            if bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return true
            }
            offset += 8
        }
        while offset < bytes.count {
            if bytes[offset] >= 0x80 { return true }
            offset += 1
        }
        return false
    }
}
