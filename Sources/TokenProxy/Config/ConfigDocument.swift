// SPDX-License-Identifier: Apache-2.0

/// The configuration file being read: its name for messages, its directory for
/// relative paths, and the expansion of `${env:}` and `${file:}` in its values.
struct ConfigDocument {
    /// The file as named by the user, used in every `ConfigError`.
    let file: String
    let expander: PlaceholderExpander

    init(file: String, environment: [String: String], readFile: @escaping (String) throws -> String) {
        self.file = file
        self.expander = PlaceholderExpander(
            environment: environment,
            readFile: readFile,
            baseDirectory: Self.directory(of: file)
        )
    }

    /// A path written in the file, taken relative to the file's directory unless absolute.
    func resolve(_ path: String) -> String {
        Self.resolve(path, against: expander.baseDirectory)
    }

    static func resolve(_ path: String, against directory: String?) -> String {
        guard let directory, !path.hasPrefix("/") else { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    /// "config" for "config/token-proxy.yaml", "/" for "/x.yaml", nil for "x.yaml" (the working directory).
    private static func directory(of file: String) -> String? {
        guard let slash = file.lastIndex(of: "/") else { return nil }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }
}

/// Where a value sits in the configuration file, as users write it: `routes[1].auth.clientID`.
struct ConfigKeyPath: Hashable, CustomStringConvertible {
    private let text: String

    static let root = ConfigKeyPath(text: "")

    func appending(_ key: String) -> ConfigKeyPath {
        ConfigKeyPath(text: text.isEmpty ? key : "\(text).\(key)")
    }

    func appending(index: Int) -> ConfigKeyPath {
        ConfigKeyPath(text: "\(text)[\(index)]")
    }

    var description: String { text.isEmpty ? "the top level" : text }
}
