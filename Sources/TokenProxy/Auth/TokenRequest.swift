// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The client-credentials token request (RFC 6749 section 4.4.2) for a route.
enum TokenRequest {
    /// The form body and headers that ask `credentials.accessTokenURL` for a
    /// token, the client authenticated by `authenticator` as of `now`.
    static func make(
        for credentials: ClientCredentials, authenticator: ClientAuthenticator, now: Date
    ) throws(TokenError) -> (headers: HTTPHeaders, body: [UInt8]) {
        var fields: [(String, String)] = [("grant_type", "client_credentials")]
        if let scope = credentials.scope, !scope.isEmpty {
            fields.append(("scope", scope))
        }
        fields += credentials.accessTokenParameters.map { ($0.name, $0.value) }
        var headers = HTTPHeaders([
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
        ])
        try authenticator.authenticate(fields: &fields, headers: &headers, now: now)
        let body = fields.map { formEncode($0.0) + "=" + formEncode($0.1) }.joined(separator: "&")
        return (headers, Array(body.utf8))
    }

    /// `application/x-www-form-urlencoded` encoding of one name or value.
    static func formEncode(_ text: String, space: String = "+") -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "*"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                result += space
            default:
                result +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
