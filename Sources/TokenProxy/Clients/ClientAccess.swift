// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Decides whether a request may use the proxy: its peer must lie in an allowed
/// network, and when proxy credentials are configured the request must carry
/// them in `Proxy-Authorization: Basic`.
///
/// A plain value, built from `clients` at start-up and on reload; Unix-socket
/// peers are not matched against networks (the socket file's permissions
/// decided who could connect), but they too must present the credentials.
struct ClientAccess: Sendable {
    private let allowed: [IPNetwork]
    /// `user:password` as the decoded Basic credentials must read; nil when none are required.
    private let expectedCredentials: [UInt8]?

    init(_ settings: ClientsSettings) {
        allowed = settings.allowedNetworks
        expectedCredentials = settings.credentials.map { Array("\($0.user):\($0.password.revealed)".utf8) }
    }

    /// Throws the refusal for a request from `peer` with `head`; returns when it may go on.
    func check(_ head: RequestHead, from peer: ClientPeer) throws(ProxyError) {
        switch peer {
        case .ip(let address, _):
            guard allowed.contains(where: { $0.contains(address) }) else { throw .clientNotAllowed }
        case .unixSocket:
            break
        case .unknown:
            throw .clientNotAllowed
        }
        if let expectedCredentials {
            guard let presented = Self.basicCredentials(in: head.headers.values(name: "Proxy-Authorization")),
                Self.constantTimeEqual(presented, expectedCredentials)
            else { throw .proxyAuthenticationRequired }
        }
    }

    /// The decoded `user:password` of a single `Basic` header value; nil for anything else.
    private static func basicCredentials(in values: [String]) -> [UInt8]? {
        guard values.count == 1 else { return nil }
        let parts = values[0].split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].caseInsensitiveEquals("basic"),
            let decoded = Data(base64Encoded: parts[1].trimmingWhitespace())
        else { return nil }
        return Array(decoded)
    }

    /// Compares without an early exit, so the time taken does not tell how many leading bytes matched.
    /// It runs over the presented bytes, whose length the client knows anyway.
    static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        guard !expected.isEmpty else { return presented.isEmpty }
        var difference = UInt8(presented.count == expected.count ? 0 : 1)
        for index in presented.indices {
            difference |= presented[index] ^ expected[index % expected.count]
        }
        return difference == 0
    }
}
