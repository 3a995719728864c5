// SPDX-License-Identifier: Apache-2.0

import Yams

/// One value of the configuration file and the key path it was written at.
///
/// The typed readers turn a wrong YAML type or a bad placeholder into a
/// `ConfigError` that names this path. Strings are expanded (`${env:}`,
/// `${file:}`) as they are read. Any scalar reads as a string, as written:
/// `clientID: 0123` is "0123", not 83. Numbers may be written as strings too,
/// so that `port: ${env:PROXY_PORT}` works.
struct ConfigNode {
    let node: Node
    let path: ConfigKeyPath
    let document: ConfigDocument

    func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, node.tagName != .null else { throw wrongType("a string") }
        return try expand(scalar.string)
    }

    /// A string that must not be empty after expansion; `what` completes "expected ...".
    func nonEmptyString(_ what: String) throws(ConfigError) -> String {
        let value = try string()
        guard !value.isEmpty else { throw invalid("it is empty; expected \(what)") }
        return value
    }

    func secret() throws(ConfigError) -> Secret {
        Secret(try string())
    }

    /// A YAML integer, or a string holding one; `expected` reads like "a port number".
    func integer(_ expected: String) throws(ConfigError) -> Int {
        switch node.tagName {
        case .int:
            if let value = node.int { return value }
        case .str:
            if let value = Int(try string()) { return value }
        default:
            break
        }
        throw wrongType(expected)
    }

    /// A number of seconds, integer or decimal, up to a year: at least zero, or above zero when
    /// `positive`. Kept to the millisecond, finer than any timeout needs.
    func seconds(positive: Bool) throws(ConfigError) -> Duration {
        let value: Double?
        switch node.tagName {
        case .int: value = node.int.map(Double.init)
        case .float: value = node.float
        case .str: value = Double(try string())
        default: value = nil
        }
        guard let value, value.isFinite else { throw wrongType("a number of seconds, such as 30 or 2.5") }
        let lowest = positive ? "above 0" : "0 or more"
        guard positive ? value > 0 : value >= 0, value <= Self.longestSeconds else {
            throw invalid("expected a number of seconds \(lowest), and at most \(Int(Self.longestSeconds)) (a year)")
        }
        return .milliseconds(Int((value * 1000).rounded()))
    }

    /// Bounds durations so that converting them cannot overflow; longer waits are mistakes.
    private static let longestSeconds = 365.0 * 24 * 3600

    /// The items of a YAML list, each with its indexed path; `expected` reads like "a list of hosts".
    func list(_ expected: String) throws(ConfigError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw wrongType(expected) }
        return sequence.enumerated().map { index, item in
            ConfigNode(node: item, path: path.appending(index: index), document: document)
        }
    }

    /// This node as a map whose keys are all among `allowedKeys`.
    func map(allowedKeys: [String]) throws(ConfigError) -> ConfigMap {
        try ConfigMap(self, allowedKeys: allowedKeys)
    }

    /// A path written in the file, resolved against the file's directory.
    func filePath() throws(ConfigError) -> String {
        document.resolve(try nonEmptyString("a file path"))
    }

    func invalid(_ problem: String) -> ConfigError {
        .invalidValue(file: document.file, key: path.description, problem: problem)
    }

    func wrongType(_ expected: String) -> ConfigError {
        .wrongType(file: document.file, key: path.description, expected: expected)
    }

    private func expand(_ text: String) throws(ConfigError) -> String {
        do throws(PlaceholderError) {
            return try document.expander.expand(text)
        } catch {
            let file = document.file, key = path.description
            switch error {
            case .unsetVariable(let name):
                throw .unsetVariable(file: file, key: key, variable: name)
            case .unreadableFile(let target, let reason):
                throw .unreadableFile(file: file, key: key, target: target, reason: reason)
            case .malformed(let problem):
                throw .malformedPlaceholder(file: file, key: key, problem: problem)
            }
        }
    }
}

extension Node {
    /// The resolved tag, such as `.int` for an unquoted `8080`; Yams keeps `Tag.name` internal.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
