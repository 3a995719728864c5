// SPDX-License-Identifier: Apache-2.0

/// An ordered list of header fields, as received or to be sent.
///
/// Names keep the case they arrived in; look-ups ignore case (RFC 9110 5.1).
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public typealias Field = (name: String, value: String)

    private var fields: [Field]

    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    public var count: Int { fields.count }

    /// Makes room for `count` fields, so that adding them one by one does not grow the storage each time.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    public mutating func add(name: String, value: String) {
        fields.append((name, value))
    }

    /// Removes every field with this name.
    public mutating func remove(name: String) {
        fields.removeAll { $0.name.caseInsensitiveEquals(name) }
    }

    /// Replaces every field with this name by one field with this value.
    public mutating func replace(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// The value of the first field with this name.
    public func first(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// All values of fields with this name, in order.
    public func values(name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    public func contains(name: String) -> Bool {
        fields.contains { $0.name.caseInsensitiveEquals(name) }
    }

    /// The comma-separated elements of every field with this name, trimmed and lower-cased
    /// (`Connection: close, Foo` gives `["close", "foo"]`).
    public func tokens(name: String) -> [String] {
        elements(inFieldsNamed: name).map { $0.lowercased() }
    }

    /// The comma-separated elements of every field with this name, trimmed, as they are written
    /// (`Connection: close, Foo` gives `["close", "Foo"]`); empty elements are left out.
    public func elements(inFieldsNamed name: String) -> [Substring] {
        var elements: [Substring] = []
        for field in fields where field.name.caseInsensitiveEquals(name) {
            var rest = Substring(field.value)
            while !rest.isEmpty {
                let comma = rest.utf8.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
                let element = rest[..<comma].trimmedOfWhitespace
                if !element.isEmpty { elements.append(element) }
                rest = comma == rest.endIndex ? "" : rest[rest.utf8.index(after: comma)...]
            }
        }
        return elements
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

extension StringProtocol {
    /// ASCII case-insensitive comparison, as header names and hosts need.
    func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        let lhs = utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        // Header names are compared many times per request: over the bytes in place when both
        // strings have them in one piece (native strings do), else index by index.
        let inPlace = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in
                left.indices.allSatisfy { asciiLowercase(left[$0]) == asciiLowercase(right[$0]) }
            }
        }
        if let inPlace, let equal = inPlace { return equal }
        var left = lhs.startIndex
        var right = rhs.startIndex
        while left != lhs.endIndex {
            guard asciiLowercase(lhs[left]) == asciiLowercase(rhs[right]) else { return false }
            lhs.formIndex(after: &left)
            rhs.formIndex(after: &right)
        }
        return true
    }
}

extension StringProtocol where SubSequence == Substring {
    /// The string less leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        String(trimmedOfWhitespace)
    }

    /// The string less leading and trailing spaces and tabs, without copying it.
    fileprivate var trimmedOfWhitespace: Substring {
        let whole = self[...]
        guard let first = whole.utf8.firstIndex(where: { !HTTPByte.isWhitespace($0) }),
            let last = whole.utf8.lastIndex(where: { !HTTPByte.isWhitespace($0) })
        else { return "" }
        return whole[first...last]
    }
}

private func asciiLowercase(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}
