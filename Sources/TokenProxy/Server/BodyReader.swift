// SPDX-License-Identifier: Apache-2.0

/// Collects one request body, framed by `Content-Length` or chunked, within the body limit.
struct BodyReader {
    private enum Progress {
        case remaining(Int)
        case chunked(ChunkedBodyDecoder)
    }

    private var progress: Progress
    private let maxBodyBytes: Int
    private(set) var body: [UInt8] = []

    init(framing: BodyFraming, limits: ConnectionLimits) {
        switch framing {
        case .contentLength(let length):
            progress = .remaining(length)
            body.reserveCapacity(length)
        case .chunked, .none:
            progress = .chunked(ChunkedBodyDecoder(limits: limits.parser))
        }
        maxBodyBytes = limits.maxBodyBytes
    }

    /// Takes body bytes from the front of `bytes`; returns how many it took and whether the body is complete.
    mutating func read(_ bytes: UnsafeRawBufferPointer) throws -> (consumed: Int, done: Bool) {
        switch progress {
        case .remaining(let remaining):
            let taken = min(remaining, bytes.count)
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<taken]))
            progress = .remaining(remaining - taken)
            return (taken, remaining == taken)
        case .chunked(var decoder):
            let consumed = try decoder.decode(bytes, into: &body)
            progress = .chunked(decoder)
            if body.count > maxBodyBytes { throw ProxyError.bodyTooLarge(limit: maxBodyBytes) }
            return (consumed, decoder.isComplete)
        }
    }
}
