// SPDX-License-Identifier: Apache-2.0

/// Replaces `${env:NAME}` and `${file:PATH}` in a configuration string value.
///
/// - `${env:NAME}` becomes the environment variable `NAME` (set but empty is
///   fine; unset is an error). `NAME` is letters, digits and `_`, not starting
///   with a digit.
/// - `${file:PATH}` becomes the file's content less one trailing newline
///   (`\n` or `\r\n`), so secrets written by `echo` or a secret mount work.
///   A relative `PATH` is taken relative to the configuration file's directory.
/// - A value may hold several placeholders and text around them.
/// - `$${` is a literal `${`; any other `$` is literal as it stands.
/// - Replacements are not expanded again: a secret that contains `${` stays
///   as it is.
struct PlaceholderExpander {
    var environment: [String: String]
    /// Reads a `${file:}` target; throws when it cannot.
    var readFile: (String) throws -> String
    /// The configuration file's directory; nil when it has none (relative paths stay as written).
    var baseDirectory: String?

    func expand(_ text: String) throws(PlaceholderError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let afterDollar = rest[dollar...].dropFirst()
            if afterDollar.hasPrefix("${") {
                result += "${"
                rest = afterDollar.dropFirst(2)
            } else if afterDollar.hasPrefix("{") {
                guard let close = afterDollar.firstIndex(of: "}") else {
                    throw .malformed("a ${ is not closed by }")
                }
                result += try replacement(for: afterDollar[afterDollar.index(after: afterDollar.startIndex)..<close])
                rest = afterDollar[afterDollar.index(after: close)...]
            } else {
                result += "$"
                rest = afterDollar
            }
        }
        return result + rest
    }

    /// The text for one placeholder; `body` is what stands between `${` and `}`.
    private func replacement(for body: Substring) throws(PlaceholderError) -> String {
        if body.hasPrefix("env:") {
            let name = String(body.dropFirst(4))
            guard Self.isVariableName(name) else {
                throw .malformed("${env:...} needs a variable name of letters, digits and _")
            }
            guard let value = environment[name] else { throw .unsetVariable(name) }
            return value
        }
        if body.hasPrefix("file:") {
            let path = String(body.dropFirst(5))
            guard !path.isEmpty else { throw .malformed("${file:...} needs a path") }
            let content: String
            do {
                content = try readFile(ConfigDocument.resolve(path, against: baseDirectory))
            } catch {
                throw .unreadableFile(path: path, reason: String(describing: error))
            }
            return Self.droppingTrailingNewline(content)
        }
        throw .malformed("only ${env:NAME} and ${file:PATH} are known")
    }

    static func droppingTrailingNewline(_ content: String) -> String {
        // "\r\n" is one Character in Swift, so one dropLast removes either ending.
        content.last == "\n" || content.last == "\r\n" ? String(content.dropLast()) : content
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.first, !first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

/// Why `PlaceholderExpander` could not expand a value; `ConfigNode` adds the file and key.
enum PlaceholderError: Error, Equatable {
    case unsetVariable(String)
    case unreadableFile(path: String, reason: String)
    case malformed(String)
}
