// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// Where a route's bearer token comes from.
enum CredentialSource: Sendable {
    /// `auth.type: none`: nothing is injected.
    case none
    /// `auth.type: static`.
    case staticToken(Secret)
    /// `auth.type: oauth2ClientCredentials`.
    case clientCredentials(ClientCredentialsTokenSource)

    /// Calls `completion` on `queue` with the token to inject (nil for `none`).
    func token(on queue: DispatchQueue, completion: @escaping @Sendable (Result<Secret?, TokenError>) -> Void) {
        switch self {
        case .none:
            completion(.success(nil))
        case .staticToken(let value):
            completion(.success(value))
        case .clientCredentials(let source):
            source.token(on: queue) { completion($0.map { $0 }) }
        }
    }
}
