// SPDX-License-Identifier: Apache-2.0

import Foundation
import Yams

/// Turns the configuration file into a validated `ProxyConfiguration`.
///
/// It reads the file, parses it as YAML (so JSON works too), expands
/// `${env:NAME}` and `${file:PATH}` in every string value (see
/// `PlaceholderExpander`), applies the top-level route defaults per key (see
/// `LayeredMap`) and checks every key, so a typo is an error naming it. It
/// does not open the TLS stores: `TLSMaterial` does. A relative path in the
/// file, for a store or a `${file:}`, is taken relative to the file's directory.
public enum ConfigurationLoader {
    /// Reads, expands and validates the file at `path`.
    ///
    /// - Parameters:
    ///   - environment: the process environment, for `${env:}`.
    ///   - readFile: reads the configuration file and `${file:}` targets; the default reads the disk.
    public static func load(
        path: String,
        environment: [String: String],
        readFile: @escaping (String) throws -> String = readFromDisk
    ) throws(ConfigError) -> ProxyConfiguration {
        let yaml: String
        do {
            yaml = try readFile(path)
        } catch {
            throw .unreadableConfiguration(file: path, reason: String(describing: error))
        }
        return try parse(yaml: yaml, source: path, environment: environment, readFile: readFile)
    }

    /// Expands and validates `yaml`; `source` names the file in errors, and
    /// relative paths are taken relative to its directory.
    public static func parse(
        yaml: String,
        source: String,
        environment: [String: String],
        readFile: @escaping (String) throws -> String = readFromDisk
    ) throws(ConfigError) -> ProxyConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: source, yaml: yaml)
        } catch {
            throw .syntax(file: source, line: 1, column: 1, problem: String(describing: error))
        }
        guard let root else {
            throw .missingKey(file: source, key: "routes", hint: "the file is empty; list at least one route")
        }
        let document = ConfigDocument(file: source, environment: environment, readFile: readFile)
        return try TopLevelParser.parse(ConfigNode(node: root, path: .root, document: document))
    }

    /// The `--config` default: `$TOKEN_PROXY_CONFIG`, else `config/token-proxy.yaml`.
    public static func defaultPath(environment: [String: String]) -> String {
        guard let path = environment["TOKEN_PROXY_CONFIG"], !path.isEmpty else { return "config/token-proxy.yaml" }
        return path
    }

    /// Reads a UTF-8 text file, failing with a reason a user can act on.
    public static func readFromDisk(_ path: String) throws -> String {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { throw UnreadableFile("no such file") }
        guard !isDirectory.boolValue else { throw UnreadableFile("it is a directory") }
        guard files.isReadableFile(atPath: path), let data = files.contents(atPath: path) else {
            throw UnreadableFile("permission denied")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw UnreadableFile("it is not UTF-8 text") }
        return text
    }

    /// Yams' own descriptions quote the offending line, which may hold a
    /// secret, so only the position and the problem are kept.
    private static func syntaxError(_ error: YamlError, file: String, yaml: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text), from line \($0.mark.line))" } ?? ""
            return .syntax(file: file, line: mark.line, column: mark.column, problem: problem + during)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .duplicateKey(
                file: file,
                key: duplicates.joined(separator: ", "),
                line: context.mark.line,
                column: context.mark.column
            )
        case .reader(let problem, let offset, _, _):
            let lines = yaml.utf8.prefix(offset ?? 0)
                .split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            return .syntax(file: file, line: lines.count, column: (lines.last?.count ?? 0) + 1, problem: problem)
        default:
            return .syntax(file: file, line: 1, column: 1, problem: String(describing: error))
        }
    }
}

/// Why `ConfigurationLoader.readFromDisk` could not read a file.
struct UnreadableFile: Error, CustomStringConvertible {
    let description: String

    init(_ reason: String) {
        description = reason
    }
}
