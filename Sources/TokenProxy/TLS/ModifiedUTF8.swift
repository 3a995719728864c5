// SPDX-License-Identifier: Apache-2.0

/// Java's "modified UTF-8" (`DataOutput.writeUTF`): U+0000 is `C0 80` and
/// characters beyond the BMP are two 3-byte surrogates, which a plain UTF-8
/// decoder rejects. Key store aliases are written this way.
enum ModifiedUTF8 {
    /// The decoded text, or nil for a malformed sequence.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        func continuation(_ at: Int) -> UInt16? {
            guard at < bytes.endIndex, bytes[at] & 0xC0 == 0x80 else { return nil }
            return UInt16(bytes[at] & 0x3F)
        }
        while index < bytes.endIndex {
            let lead = bytes[index]
            switch lead {
            case 0x01...0x7F:
                units.append(UInt16(lead))
                index += 1
            case 0xC0...0xDF:
                guard let low = continuation(index + 1) else { return nil }
                units.append(UInt16(lead & 0x1F) << 6 | low)
                index += 2
            case 0xE0...0xEF:
                guard let middle = continuation(index + 1), let low = continuation(index + 2) else { return nil }
                units.append(UInt16(lead & 0x0F) << 12 | middle << 6 | low)
                index += 3
            default:
                return nil
            }
        }
        return String(decoding: units, as: UTF16.self)
    }
}
