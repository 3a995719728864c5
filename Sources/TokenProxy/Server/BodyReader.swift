// SPDX-License-Identifier: Apache-2.0

/// Decodes one request body, framed by `Content-Length` or chunked, into a `RequestBody`,
/// within `limits.maxBodyBytes` when one is set.
struct BodyReader {
    private enum Progress {
        case remaining(Int)
        case chunked(ChunkedBodyDecoder)
    }

    private var progress: Progress
    private let maxBodyBytes: Int?
    private var total = 0
    /// Payload of a chunked body on its way to the `RequestBody`, reused between reads.
    private var decoded: [UInt8] = []

    init(framing: BodyFraming, limits: ConnectionLimits) {
        switch framing {
        case .contentLength(let length):
            progress = .remaining(length)
        case .chunked, .none:
            progress = .chunked(ChunkedBodyDecoder(limits: limits.parser))
        }
        maxBodyBytes = limits.maxBodyBytes
    }

    /// Takes body bytes from the front of `bytes` into `body`; returns how many it took and whether the body is
    /// complete.
    mutating func read(_ bytes: UnsafeRawBufferPointer, into body: RequestBody) throws -> (consumed: Int, done: Bool) {
        switch progress {
        case .remaining(let remaining):
            let taken = min(remaining, bytes.count)
            body.append(UnsafeRawBufferPointer(rebasing: bytes[..<taken]))
            progress = .remaining(remaining - taken)
            return (taken, remaining == taken)
        case .chunked(var decoder):
            let consumed = try decoder.decode(bytes, into: &decoded)
            progress = .chunked(decoder)
            total += decoded.count
            if let maxBodyBytes, total > maxBodyBytes { throw ProxyError.bodyTooLarge(limit: maxBodyBytes) }
            decoded.withUnsafeBytes { body.append($0) }
            decoded.removeAll(keepingCapacity: true)
            return (consumed, decoder.isComplete)
        }
    }
}
