// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The JWT a platform writes to a file and rotates for workload identity
/// federation (a Kubernetes projected service-account token, Entra Workload
/// ID's `AZURE_FEDERATED_TOKEN_FILE`). Read afresh for every token request.
enum AssertionFile {
    /// The file's JWT; a missing, empty, malformed or expired file is an error naming `path`.
    static func read(path: String, now: Date) throws(TokenError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "it does not exist"
            throw .assertionUnavailable(reason: "client assertion file \(path): \(reason)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .assertionUnavailable(reason: "client assertion file \(path) is empty") }
        let claims: JWTClaims
        do {
            claims = try JWTClaims(compact: text)
        } catch {
            throw .assertionUnavailable(reason: "client assertion file \(path): \(error)")
        }
        // Servers allow some clock skew, so an assertion is sent until its `exp` has passed here.
        if let expiry = claims.expiry, expiry <= now {
            throw .assertionUnavailable(
                reason: "the JWT in client assertion file \(path) expired at \(expiry.ISO8601Format()); "
                    + "the platform that writes it has stopped rotating it")
        }
        return text
    }
}
