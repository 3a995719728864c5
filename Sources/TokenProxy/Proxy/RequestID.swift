// SPDX-License-Identifier: Apache-2.0

/// The ids that tie a request's log line to the upstream's logs (`X-Request-Id`).
///
/// New ids are 16 hex digits from SplitMix64 over a counter seeded once from the
/// system's random source: distinct within the process, unpredictable across
/// processes, and without the system call per request that drawing each id from
/// the system's source costs. Confined to one event loop.
struct RequestIDs {
    static let header = "X-Request-Id"

    private var counter = UInt64.random(in: .min ... .max)

    /// The client's id when it sent a sensible one, else a new one.
    mutating func take(from headers: HTTPHeaders) -> String {
        if let sent = headers.first(name: Self.header), (1...128).contains(sent.utf8.count),
            sent.utf8.allSatisfy(HTTPByte.isVisible)
        {
            return sent
        }
        let hex = String(next(), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// SplitMix64: a bijection of the counter, so ids repeat only after 2^64 of them.
    private mutating func next() -> UInt64 {
        counter &+= 0x9E37_79B9_7F4A_7C15
        var mixed = counter
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
