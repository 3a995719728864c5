// SPDX-License-Identifier: Apache-2.0
import Logging

/// The fields of one log line, in the order they are added, carried to the log handler as a
/// single metadata value (under `metadataKey`).
///
/// A request's line is written for every request: as ten metadata entries it cost a dictionary,
/// a merge, a `String` per value and a sort per line. A handler that knows this type writes the
/// fields in place; any other prints `description`, the fields as logfmt.
public struct LogFields: CustomStringConvertible, Sendable {
    public static let metadataKey = "fields"

    public enum Value: Sendable {
        case text(String)
        case part(Substring)
        case number(Int)
    }

    public private(set) var entries: [(key: String, value: Value)] = []

    init(capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    mutating func append(_ key: String, _ value: Value) {
        entries.append((key, value))
    }

    /// The fields as one metadata entry, for a `Logger` call.
    var metadata: Logger.Metadata {
        [Self.metadataKey: .stringConvertible(self)]
    }

    public var description: String {
        entries.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}

extension LogFields.Value: CustomStringConvertible {
    public var description: String {
        switch self {
        case .text(let text): text
        case .part(let part): String(part)
        case .number(let number): String(number)
        }
    }
}
