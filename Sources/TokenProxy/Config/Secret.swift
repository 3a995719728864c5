// SPDX-License-Identifier: Apache-2.0

/// A value that must never reach a log line, an error message or test output:
/// client secrets, tokens, store and proxy passwords.
///
/// `description` and `debugDescription` print a redaction, so interpolating a
/// `Secret` by accident leaks nothing. Read the value only where it is handed
/// to the wire or to a decoder, through `revealed`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Use only at the point it is sent or decoded.
    public let revealed: String

    public init(_ value: String) {
        self.revealed = value
    }

    public var isEmpty: Bool { revealed.isEmpty }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
}
