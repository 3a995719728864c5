// SPDX-License-Identifier: Apache-2.0

/// The id that ties a request's log line to the upstream's logs (`X-Request-Id`).
enum RequestID {
    static let header = "X-Request-Id"

    /// The client's id when it sent a sensible one, else a new random one.
    static func take(from headers: HTTPHeaders) -> String {
        if let sent = headers.first(name: header), (1...128).contains(sent.utf8.count),
            sent.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        {
            return sent
        }
        let random = UInt64.random(in: .min ... .max)
        let hex = String(random, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
