// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// Process-wide libcrypto services the key store readers share: the error
/// queue as text, digests, constant-time comparison and the legacy provider.
enum LibCrypto {
    /// What libcrypto reported for the last failed call; reading it empties the queue.
    struct Failure: Error {
        var messages: [String] = []
        /// An algorithm the loaded providers lack (RC2 without the legacy provider).
        var unsupported = false

        var text: String { messages.isEmpty ? "no detail from libcrypto" : messages.joined(separator: "; ") }
    }

    /// Drains the calling thread's error queue, so that one operation's errors never reach the next.
    static func takeFailure() -> Failure {
        var failure = Failure()
        var buffer = [CChar](repeating: 0, count: 256)
        while case let code = ERR_get_error(), code != 0 {
            ERR_error_string_n(code, &buffer, buffer.count)
            failure.messages.append(text(buffer))
            if tp_crypto_error_is_unsupported(code) != 0 { failure.unsupported = true }
        }
        return failure
    }

    /// `value`, or nil with the error queue drained; either way the queue is left empty,
    /// since some calls (the PEM decoders) leave errors behind even when they succeed.
    static func checked<Value>(_ value: Value?) -> Value? {
        _ = takeFailure()
        return value
    }

    /// `value` as a success, or the drained error queue as the failure.
    static func result<Value>(_ value: Value?) -> Result<Value, Failure> {
        let failure = takeFailure()
        return value.map { .success($0) } ?? .failure(failure)
    }

    /// Loads OpenSSL's legacy provider (RC2, RC4, DES) once, keeping the default
    /// provider available; false when the module is not installed.
    static let legacyProviderLoaded: Bool = {
        let loaded = OSSL_PROVIDER_try_load(nil, "legacy", 1) != nil
        _ = takeFailure()
        return loaded
    }()

    /// A NUL-terminated C string in `buffer`, as Swift text.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// SHA-1 of the concatenation of `parts`, without copying them together.
    static func sha1(_ parts: [ArraySlice<UInt8>]) -> [UInt8] {
        digest(EVP_sha1(), length: Int(SHA_DIGEST_LENGTH), of: parts)
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        digest(EVP_sha256(), length: Int(SHA256_DIGEST_LENGTH), of: [bytes[...]])
    }

    private static func digest(_ algorithm: OpaquePointer?, length: Int, of parts: [ArraySlice<UInt8>]) -> [UInt8] {
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: length)
        EVP_DigestInit_ex2(context, algorithm, nil)
        for part in parts {
            part.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
        EVP_DigestFinal_ex(context, &output, nil)
        return output
    }

    /// Compares in time independent of where the inputs differ.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: ArraySlice<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0 }
        }
    }

    /// Serialises a libcrypto object with its `i2d_*` function.
    static func der(_ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8]? {
        let length = encode(nil)
        guard length > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return encode(&cursor)
        }
        return written == length ? bytes : nil
    }

    /// Lets libcrypto read `bytes` through a read-only memory BIO.
    static func withMemoryBIO<Result>(_ bytes: [UInt8], _ body: (OpaquePointer) -> Result) -> Result? {
        bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    /// The text a writer put into a fresh memory BIO.
    static func writtenText(_ write: (OpaquePointer) -> Void) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        write(bio)
        var data: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
        guard let data, length > 0 else { return "" }
        return UnsafeRawBufferPointer(start: data, count: length).withMemoryRebound(to: UInt8.self) {
            String(decoding: $0, as: UTF8.self)
        }
    }
}

extension LibCrypto {
    /// Runs `attempt`, and once more after loading the legacy provider when
    /// libcrypto reports an unsupported algorithm (RC2 and friends in old PKCS12 files).
    static func retryingWithLegacyProvider<Value>(
        path: String, _ attempt: () -> Result<Value, Failure>
    ) throws(KeyStoreError) -> Result<Value, Failure> {
        let first = attempt()
        guard case .failure(let failure) = first, failure.unsupported else { return first }
        guard legacyProviderLoaded else { throw .legacyAlgorithmUnavailable(path: path) }
        return attempt()
    }
}
