// SPDX-License-Identifier: Apache-2.0

/// Why a configuration file could not be used.
///
/// Every case names the file and, where there is one, the key path as users
/// write it (`routes[1].auth.clientID`), says what is wrong and what would be
/// right. No case carries a configured value: a value may be a secret, or may
/// have come from `${env:}` or `${file:}`. Route names and host patterns,
/// which are identifiers, are the only values a message repeats.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    /// The configuration file itself could not be read.
    case unreadableConfiguration(file: String, reason: String)
    /// The file is not valid YAML.
    case syntax(file: String, line: Int, column: Int, problem: String)
    /// A map names the same key twice.
    case duplicateKey(file: String, key: String, line: Int, column: Int)
    /// A key that token-proxy does not know, with the keys allowed in that map.
    case unknownKey(file: String, key: String, allowed: [String], suggestion: String?)
    /// A known key written where it does not apply (`name` at the top level,
    /// `accessToken` with `oauth2ClientCredentials`, ...).
    case misplacedKey(file: String, key: String, reason: String)
    /// A value of the wrong YAML type; `expected` reads like "a list of hosts".
    case wrongType(file: String, key: String, expected: String)
    /// A required key is missing; `hint` says where and what to set.
    case missingKey(file: String, key: String, hint: String)
    /// A value of the right type that is not acceptable; `problem` says why and what is expected.
    case invalidValue(file: String, key: String, problem: String)
    /// `${env:NAME}` names a variable that is not set.
    case unsetVariable(file: String, key: String, variable: String)
    /// `${file:PATH}` names a file that could not be read.
    case unreadableFile(file: String, key: String, target: String, reason: String)
    /// A `${...}` that is not a well-formed placeholder.
    case malformedPlaceholder(file: String, key: String, problem: String)

    public var description: String {
        switch self {
        case .unreadableConfiguration(let file, let reason):
            return "\(file): cannot read the configuration file: \(reason). "
                + "Pass the right file with --config or TOKEN_PROXY_CONFIG."
        case .syntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): not valid YAML: \(problem)."
        case .duplicateKey(let file, let key, let line, let column):
            return "\(file):\(line):\(column): the key \(key) is written more than once in the same map; keep one."
        case .unknownKey(let file, let key, let allowed, let suggestion):
            let guess = suggestion.map { " Did you mean \($0)?" } ?? ""
            return "\(file): unknown key \(key).\(guess) Allowed here: \(allowed.joined(separator: ", "))."
        case .misplacedKey(let file, let key, let reason):
            return "\(file): \(key) is not allowed here: \(reason)."
        case .wrongType(let file, let key, let expected):
            return "\(file): \(key) has the wrong type: expected \(expected)."
        case .missingKey(let file, let key, let hint):
            return "\(file): \(key) is required: \(hint)."
        case .invalidValue(let file, let key, let problem):
            return "\(file): the value of \(key) is not valid: \(problem)."
        case .unsetVariable(let file, let key, let variable):
            return "\(file): \(key) uses ${env:\(variable)}, but the environment variable \(variable) is not set. "
                + "Set it, or change \(key)."
        case .unreadableFile(let file, let key, let target, let reason):
            return "\(file): \(key) uses ${file:\(target)}, which cannot be read: \(reason)."
        case .malformedPlaceholder(let file, let key, let problem):
            return "\(file): \(key) has a malformed placeholder: \(problem). "
                + "Write ${env:NAME} or ${file:PATH}, and $${ for a literal ${."
        }
    }
}
