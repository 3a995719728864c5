// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A successful token response (RFC 6749 section 5.1).
struct TokenResponse: Equatable {
    var accessToken: Secret
    /// `expires_in`; nil when the endpoint did not say.
    var expiresIn: Duration?

    /// Reads the token endpoint's answer; an error status gives the OAuth `error` and `error_description`.
    static func parse(status: Int, body: [UInt8], truncated: Bool, url: String) throws(TokenError) -> TokenResponse {
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        guard (200..<300).contains(status) else {
            throw .refused(
                url: url, status: status,
                error: (object?["error"] as? String).map(printable),
                errorDescription: (object?["error_description"] as? String).map(printable))
        }
        guard !truncated else {
            throw .invalidResponse(url: url, status: status, reason: "the response is larger than 1 MiB")
        }
        guard let object else {
            throw .invalidResponse(url: url, status: status, reason: "the body is not a JSON object")
        }
        guard let token = object["access_token"] as? String, !token.isEmpty else {
            throw .invalidResponse(url: url, status: status, reason: "no \"access_token\" in the JSON")
        }
        guard token.utf8.allSatisfy(HTTPByte.isVisible) else {
            throw .invalidResponse(
                url: url, status: status, reason: "\"access_token\" has characters a header cannot carry")
        }
        if let type = object["token_type"] as? String, type.lowercased() != "bearer" {
            throw .invalidResponse(
                url: url, status: status,
                reason: "token_type is \"\(printable(type))\"; token-proxy sends only Bearer tokens, "
                    + "so configure this client at the authorization server for Bearer tokens")
        }
        return TokenResponse(
            accessToken: Secret(token), expiresIn: try expiresIn(object["expires_in"], url: url, status: status))
    }

    private static func expiresIn(_ value: Any?, url: String, status: Int) throws(TokenError) -> Duration? {
        let seconds: Double?
        switch value {
        case nil: return nil
        case let number as NSNumber: seconds = number.doubleValue
        case let text as String: seconds = Double(text)
        default: seconds = nil
        }
        guard let seconds, seconds.isFinite, seconds > 0 else {
            throw .invalidResponse(url: url, status: status, reason: "\"expires_in\" is not a positive number")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// Text from the endpoint, shortened and without control characters, fit for a log line.
    private static func printable(_ text: String) -> String {
        String(
            String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }).prefix(300))
    }
}
