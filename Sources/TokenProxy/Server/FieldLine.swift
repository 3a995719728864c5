// SPDX-License-Identifier: Apache-2.0

/// One header or trailer field line (RFC 9112 5, RFC 9110 5.5), checked and located in the caller's buffer so that
/// its strings are built once, only when wanted.
struct FieldLine {
    /// Where the name is, up to the colon.
    var name: Range<Int>
    /// Where the value is, without the optional whitespace around it.
    var value: Range<Int>
    /// Whether the value holds obs-text (bytes over 0x7F), valid field content (RFC 9110 5.5).
    var hasObsText = false

    /// Checks the field line at `line` in `buffer`; `line` excludes the CRLF.
    init(_ line: Range<Int>, in buffer: UnsafeRawBufferPointer) throws(ParseError) {
        var index = line.lowerBound
        let end = line.upperBound
        // A continuation line is obsolete (RFC 9112 5.2) and parsers disagree on joining it: reject.
        if index < end, HTTPByte.isWhitespace(buffer[index]) { throw .obsoleteLineFolding }
        while index < end, HTTPByte.isToken(buffer[index]) { index += 1 }
        // Whitespace before the colon is rejected too (RFC 9112 5.1): some parsers would strip it, others keep it.
        guard index > line.lowerBound, index < end, buffer[index] == HTTPByte.colon else {
            throw index < end && buffer[index] == HTTPByte.cr ? .bareCarriageReturn : .invalidHeaderName
        }
        name = line.lowerBound..<index
        index += 1
        var valueEnd = end
        while index < valueEnd, HTTPByte.isWhitespace(buffer[index]) { index += 1 }
        while valueEnd > index, HTTPByte.isWhitespace(buffer[valueEnd - 1]) { valueEnd -= 1 }
        value = index..<valueEnd
        var offset = value.lowerBound
        while offset < valueEnd {
            // Values are the bulk of a head and nearly all visible ASCII: pass them eight bytes at a time.
            if valueEnd - offset >= 8,
                HTTPByte.isVisibleASCII(buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            {
                offset += 8
                continue
            }
            let byte = buffer[offset]
            offset += 1
            if byte >= 0x80 {
                hasObsText = true
            } else if HTTPByte.isForbiddenControl(byte) {
                throw byte == HTTPByte.cr ? .bareCarriageReturn : .invalidHeaderValue(name: name(in: buffer))
            }
        }
    }

    func name(in buffer: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: buffer[name]), as: UTF8.self)
    }

    /// The value as a `FieldValue` String, which gives back its bytes, obs-text included.
    func value(in buffer: UnsafeRawBufferPointer) -> String {
        FieldValue.string(UnsafeRawBufferPointer(rebasing: buffer[value]), hasObsText: hasObsText)
    }

    /// Whether the name is `Host`, compared without building a string.
    func isHost(in buffer: UnsafeRawBufferPointer) -> Bool {
        let start = name.lowerBound
        // Setting bit 0x20 lower-cases a letter; of the token bytes, only H and h give h (and so on).
        return name.count == 4
            && buffer[start] | 0x20 == UInt8(ascii: "h") && buffer[start + 1] | 0x20 == UInt8(ascii: "o")
            && buffer[start + 2] | 0x20 == UInt8(ascii: "s") && buffer[start + 3] | 0x20 == UInt8(ascii: "t")
    }
}
