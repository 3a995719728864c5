// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// A decrypted private key held by libcrypto. Owns the `EVP_PKEY`; handed out
/// as PKCS#8 PEM for TLS, or kept by a `JWSSigner` to sign client assertions.
final class PrivateKey {
    private let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        EVP_PKEY_free(handle)
    }

    /// An HMAC key (JWS HS256); nil when libcrypto refuses it.
    convenience init?(hmacSecret: [UInt8]) {
        let key = hmacSecret.withUnsafeBufferPointer { tp_crypto_hmac_key($0.baseAddress, $0.count) }
        guard let key = LibCrypto.checked(key) else { return nil }
        self.init(handle: key)
    }

    /// A fresh EC key on P-256: the interception CA's, and each minted leaf's.
    static func generateP256() -> PrivateKey? {
        LibCrypto.checked(tp_crypto_p256_key_new()).map(PrivateKey.init(handle:))
    }

    /// Parses an unencrypted PKCS#8 `PrivateKeyInfo`; nil when it is not one.
    convenience init?(pkcs8 der: [UInt8]) {
        let info: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, buffer.count)
        }
        guard let info = LibCrypto.checked(info) else { return nil }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard let key = LibCrypto.checked(EVP_PKCS82PKEY(info)) else { return nil }
        self.init(handle: key)
    }

    /// Decodes a PEM private key of any kind (`PRIVATE KEY`, `RSA PRIVATE KEY`,
    /// `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, legacy `Proc-Type` encryption).
    /// `password` is given to libcrypto directly, so it never prompts.
    static func decodePEM(_ text: [UInt8], password: String) -> Result<PrivateKey, LibCrypto.Failure> {
        let key = LibCrypto.withMemoryBIO(text) { bio in
            password.withCString { PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: $0)) }
        }
        return LibCrypto.result(key ?? nil).map(PrivateKey.init(handle:))
    }

    /// Decrypts a standard PKCS#8 `EncryptedPrivateKeyInfo` (PBES2, PKCS#12 PBE).
    static func decrypt(encryptedPKCS8 der: [UInt8], password: String) -> Result<PrivateKey, LibCrypto.Failure> {
        let signature: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509_SIG(nil, &cursor, buffer.count)
        }
        guard let signature else { return .failure(LibCrypto.takeFailure()) }
        defer { X509_SIG_free(signature) }
        guard let info = PKCS8_decrypt(signature, password, -1) else { return .failure(LibCrypto.takeFailure()) }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        return LibCrypto.result(EVP_PKCS82PKEY(info)).map(PrivateKey.init(handle:))
    }

    /// The key as an unencrypted PKCS#8 `PRIVATE KEY` PEM block.
    var pkcs8PEM: SensitiveBytes? {
        guard let info = LibCrypto.checked(EVP_PKEY2PKCS8(handle)) else { return nil }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard var der = LibCrypto.der({ i2d_PKCS8_PRIV_KEY_INFO(info, $0) }) else { return nil }
        var pem = PEMBlock(label: "PRIVATE KEY", body: der).encoded
        defer {
            der.wipe()
            pem.wipe()
        }
        return SensitiveBytes(pem)
    }

    func withHandle<Result>(_ body: (OpaquePointer) -> Result) -> Result {
        body(handle)
    }
}
