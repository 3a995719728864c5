// SPDX-License-Identifier: Apache-2.0

/// Why a host, a `host:port` or an upstream URL was rejected. The description
/// completes "the value of KEY is not valid: ..." and never repeats the value.
enum AddressError: Error, Equatable, CustomStringConvertible {
    case empty
    case missingHost
    case missingPort
    case unexpectedPort
    case invalidPort
    case invalidHost
    case unbracketedIPv6
    case unsupportedScheme
    case userinfo
    case queryOrFragment
    case relativeSocketPath
    case socketPathTooLong(limit: Int)

    var description: String {
        switch self {
        case .empty: "it is empty"
        case .missingHost: "it has no host"
        case .missingPort: "it has no port"
        case .unexpectedPort: "it must be a host alone, without a port"
        case .invalidPort: "the port must be a number from 1 to 65535"
        case .invalidHost: "the host must be a name or address of letters, digits, '.', '-' and '_'"
        case .unbracketedIPv6: "an IPv6 address must be written in brackets, such as [::1]:8080"
        case .unsupportedScheme: "it must start with http:// or https://"
        case .userinfo: "it must not hold a user or password; credentials belong in auth"
        case .queryOrFragment: "it must not have a query (?) or fragment (#)"
        case .relativeSocketPath: "a Unix socket path must be absolute"
        case .socketPathTooLong(let limit): "a Unix socket path may have at most \(limit) bytes"
        }
    }
}

extension HostPort {
    /// `host:port` or `[v6]:port`; the port is required.
    init(parsing text: String) throws(AddressError) {
        let (host, port) = try splitHostPort(text)
        guard let port else { throw .missingPort }
        self.init(host: host, port: port)
    }
}

extension HostPattern {
    /// `host`, `host:port`, `[v6]` or `[v6]:port`; lower-cased, without a trailing dot.
    init(parsing text: String) throws(AddressError) {
        let (host, port) = try splitHostPort(text.lowercased())
        let bare = host.hasSuffix(".") ? String(host.dropLast()) : host
        guard !bare.isEmpty else { throw .invalidHost }
        self.init(host: bare, port: port)
    }
}

extension UpstreamURL {
    /// `http[s]://host[:port][/base]`; the base path is kept without a trailing slash.
    init(parsing text: String) throws(AddressError) {
        guard !text.isEmpty else { throw .empty }
        let lowered = text.lowercased()
        let scheme: Scheme
        if lowered.hasPrefix("https://") {
            scheme = .https
        } else if lowered.hasPrefix("http://") {
            scheme = .http
        } else {
            throw .unsupportedScheme
        }
        let afterScheme = text.dropFirst(scheme.rawValue.count + 3)
        guard !afterScheme.contains(where: { $0 == "?" || $0 == "#" }) else { throw .queryOrFragment }
        let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.contains("@") else { throw .userinfo }
        guard !authority.isEmpty else { throw .missingHost }
        let (host, port) = try splitHostPort(authority.lowercased())
        var basePath = afterScheme[authorityEnd...]
        while basePath.hasSuffix("/") { basePath = basePath.dropLast() }
        guard !basePath.contains(where: \.isWhitespace) else { throw .invalidHost }
        self.init(scheme: scheme, host: host, port: port, basePath: String(basePath))
    }
}

extension ConfigNode {
    /// Reads the value with `parse`, turning its `AddressError` into an error naming this key.
    /// `expected` describes the right form, with an example.
    func address<Address>(
        _ parse: (String) throws(AddressError) -> Address,
        expected: String
    ) throws(ConfigError) -> Address {
        let text = try string()
        do throws(AddressError) {
            return try parse(text)
        } catch {
            throw invalid("\(error); expected \(expected)")
        }
    }
}

/// A host alone: a name, an IPv4 address, or an IPv6 address with or without brackets.
func parseHostName(_ text: String) throws(AddressError) -> String {
    let isBareIPv6 = !text.hasPrefix("[") && text.count(where: { $0 == ":" }) > 1
    let bracketed = isBareIPv6 ? "[\(text)]" : text
    let (host, port) = try splitHostPort(bracketed)
    guard port == nil else { throw .unexpectedPort }
    return host
}

/// Splits `host[:port]` or `[v6][:port]`; the host comes back without brackets.
private func splitHostPort<S: StringProtocol>(_ text: S) throws(AddressError) -> (host: String, port: Int?) {
    guard !text.isEmpty else { throw .empty }
    let host: S.SubSequence
    let portText: S.SubSequence?
    if text.hasPrefix("[") {
        guard let close = text.firstIndex(of: "]") else { throw .invalidHost }
        host = text[text.index(after: text.startIndex)..<close]
        let rest = text[text.index(after: close)...]
        guard rest.isEmpty || rest.hasPrefix(":") else { throw .invalidHost }
        portText = rest.isEmpty ? nil : rest.dropFirst()
        guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
            throw .invalidHost
        }
    } else {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .unbracketedIPv6 }
        host = parts[0]
        portText = parts.count == 2 ? parts[1] : nil
        guard !host.isEmpty, host.allSatisfy(\.isNameCharacter) else { throw .invalidHost }
    }
    guard let portText else { return (String(host), nil) }
    guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText), (1...65535).contains(port)
    else { throw .invalidPort }
    return (String(host), port)
}

extension Character {
    /// An ASCII letter or digit, '.', '-' or '_': the alphabet of host names,
    /// and of route names, which must be safe in log fields and metric labels.
    var isNameCharacter: Bool {
        isASCII && (isLetter || isNumber || "-._".contains(self))
    }
}
