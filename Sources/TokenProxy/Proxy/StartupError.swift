// SPDX-License-Identifier: Apache-2.0

/// Why token-proxy cannot start with a configuration (also what `check` reports).
public enum StartupError: Error, CustomStringConvertible {
    case configuration(ConfigError)
    case keyStore(route: String, KeyStoreError)
    case signingKey(route: String, SigningKeyError)
    case interceptAuthority(CertificateAuthorityError)
    case listener(ListenerError)

    public var description: String {
        switch self {
        case .configuration(let error): "\(error)"
        case .keyStore(let route, let error): "route '\(route)': \(error)"
        case .signingKey(let route, let error): "route '\(route)': \(error)"
        case .interceptAuthority(let error): "\(error)"
        case .listener(let error): "\(error)"
        }
    }
}
