// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The demo's built-in OAuth 2.0 token endpoint: grants client-credentials
/// tokens to one client, authenticated in the body or with HTTP Basic.
final class DemoTokenEndpoint: RequestHandler, WholeBodyResponder, Sendable {
    static let clientID = "demo-client"
    static let clientSecret = "demo-secret"
    static let lifetimeSeconds = 300

    func respond(to head: RequestHead, body: [UInt8], sink: ResponseSink) {
        let json = HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-store")])
        guard head.method == "POST", head.target.hasPrefix("/token") else {
            sink.respond(status: 404, headers: json, body: Array("{\"error\":\"not_found\"}".utf8))
            return
        }
        let form = Self.formFields(body)
        guard form["grant_type"] == "client_credentials" else {
            sink.respond(status: 400, headers: json, body: Array("{\"error\":\"unsupported_grant_type\"}".utf8))
            return
        }
        let (id, secret) = Self.basicCredentials(head.headers) ?? (form["client_id"], form["client_secret"])
        guard id == Self.clientID, secret == Self.clientSecret else {
            sink.respond(status: 401, headers: json, body: Array("{\"error\":\"invalid_client\"}".utf8))
            return
        }
        let token = "demo-" + (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let answer = "{\"access_token\":\"\(token)\",\"token_type\":\"Bearer\",\"expires_in\":\(Self.lifetimeSeconds)}"
        sink.respond(status: 200, headers: json, body: Array(answer.utf8))
    }

    private static func formFields(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(formDecode)
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    private static func basicCredentials(_ headers: HTTPHeaders) -> (String?, String?)? {
        guard let value = headers.first(name: "Authorization"), value.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(value.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        return (formDecode(decoded[..<colon]), formDecode(decoded[decoded.index(after: colon)...]))
    }

    private static func formDecode(_ text: Substring) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
    }
}
