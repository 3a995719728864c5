// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// Bytes that must not reach a log line or an error message, such as a
/// decrypted private key as PEM. `description` prints a redaction, and the
/// one buffer is overwritten with zeros when the last copy goes away.
public struct SensitiveBytes: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let storage: Storage

    init(_ bytes: [UInt8]) {
        storage = Storage(bytes)
    }

    public var count: Int { storage.buffer.count }

    /// Lends the bytes, for example to `curl_easy_setopt` with `CURL_BLOB_COPY`.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(storage.buffer))
    }

    public var description: String { "<redacted \(count) bytes>" }
    public var debugDescription: String { "SensitiveBytes(<redacted \(count) bytes>)" }

    /// Owns the buffer so that it is wiped exactly once, in `deinit`.
    /// `@unchecked` because the buffer is written only in `init` and `deinit`.
    private final class Storage: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer

        init(_ bytes: [UInt8]) {
            buffer = .allocate(byteCount: bytes.count, alignment: 1)
            buffer.copyBytes(from: bytes)
        }

        deinit {
            if let base = buffer.baseAddress {
                OPENSSL_cleanse(base, buffer.count)
            }
            buffer.deallocate()
        }
    }
}

extension Array where Element == UInt8 {
    /// Overwrites key material held in a scratch array before it is released.
    mutating func wipe() {
        withUnsafeMutableBytes { bytes in
            if let base = bytes.baseAddress { OPENSSL_cleanse(base, bytes.count) }
        }
    }
}
