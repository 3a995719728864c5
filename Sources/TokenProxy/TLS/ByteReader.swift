// SPDX-License-Identifier: Apache-2.0

/// A bounds-checked big-endian cursor over a Java key store's bytes.
/// Reading past the end throws `.damaged` with the offset.
struct ByteReader {
    let bytes: [UInt8]
    let path: String
    private(set) var offset = 0

    init(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - offset }

    mutating func u16() throws(KeyStoreError) -> Int {
        Int(try integer(width: 2))
    }

    /// A u32 that Java reads as a signed int: lengths and counts of 2^31 or more are corrupt.
    mutating func length() throws(KeyStoreError) -> Int {
        let value = try integer(width: 4)
        guard value < 0x8000_0000 else { throw damaged("negative length \(value)") }
        return Int(value)
    }

    mutating func u32() throws(KeyStoreError) -> UInt32 {
        UInt32(try integer(width: 4))
    }

    mutating func skip(_ count: Int) throws(KeyStoreError) {
        _ = try take(count)
    }

    mutating func take(_ count: Int) throws(KeyStoreError) -> ArraySlice<UInt8> {
        guard count <= remaining else { throw damaged("needs \(count) bytes, \(remaining) left") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Java's `DataInput.readUTF`: a u16 byte length, then modified UTF-8.
    mutating func utf() throws(KeyStoreError) -> String {
        let raw = try take(try u16())
        guard let text = ModifiedUTF8.decode(raw) else { throw damaged("invalid modified UTF-8 string") }
        return text
    }

    func damaged(_ what: String) -> KeyStoreError {
        .damaged(path: path, detail: "\(what) at offset \(offset)")
    }

    private mutating func integer(width: Int) throws(KeyStoreError) -> UInt64 {
        try take(width).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
