// SPDX-License-Identifier: Apache-2.0

/// Why a route's `auth.signingKeyStore` cannot sign client assertions.
/// Messages name the store and the `auth.signing*` setting to change, never a password or key.
public enum SigningKeyError: Error, CustomStringConvertible, Equatable {
    /// The store could not be read, as for `tls.keyStore`.
    case keyStore(KeyStoreError)
    /// The key is neither RSA nor EC on P-256 or P-384.
    case unsupportedKey(path: String, alias: String?)
    /// `auth.signingAlgorithm` does not fit the key.
    case algorithmMismatch(path: String, alias: String?, algorithm: JWSAlgorithm, supported: [JWSAlgorithm])

    public var description: String {
        switch self {
        case .keyStore(let error):
            // The store readers speak of tls.key*; the same rules apply under the auth.signingKey* names.
            return "signing key store: " + error.description(keySettingsPrefix: "auth.signingKey")
        case .unsupportedKey(let path, let alias):
            return "the private key\(Self.quoted(alias)) in \(path) cannot sign client assertions: "
                + "use an RSA key or an EC key on P-256 or P-384"
        case .algorithmMismatch(let path, let alias, let algorithm, let supported):
            let choices = supported.map(\.rawValue).joined(separator: " or ")
            return "auth.signingAlgorithm \(algorithm.rawValue) needs an \(algorithm.keyKind) key, but the key"
                + "\(Self.quoted(alias)) in \(path) is not one; set \(choices), or leave auth.signingAlgorithm out"
        }
    }

    private static func quoted(_ alias: String?) -> String {
        alias.map { " \"\($0)\"" } ?? ""
    }
}
