// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The claims of a compact JWS, read without checking its signature: to see
/// when a platform's assertion file expires, and for `token --claims`.
public struct JWTClaims {
    /// The payload as decoded JSON.
    public let object: [String: Any]

    /// Why a text is not a JWT whose claims can be read.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notCompact
        case notBase64URL
        case notJSONObject

        public var description: String {
            switch self {
            case .notCompact: "not a JWT: expected three base64url parts separated by dots"
            case .notBase64URL: "not a JWT: the payload is not base64url"
            case .notJSONObject: "not a JWT: the payload is not a JSON object"
            }
        }
    }

    public init(compact text: String) throws(Failure) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[1].isEmpty else { throw .notCompact }
        guard let payload = Base64URL.decode(parts[1]) else { throw .notBase64URL }
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else {
            throw .notJSONObject
        }
        self.object = object
    }

    /// `exp`, when the JWT has a numeric one.
    public var expiry: Date? {
        (object["exp"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
    }

    /// The claims as indented JSON with sorted keys, for people to read.
    public var prettyJSON: String {
        let data = try? JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
