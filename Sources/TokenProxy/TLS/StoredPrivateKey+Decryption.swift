// SPDX-License-Identifier: Apache-2.0

extension StoredPrivateKey {
    /// Decrypts the key with the first of `passwords` that works (the key
    /// password, then the store password). Throws `.wrongKeyPassword` when none does.
    func decrypt(
        passwords: [String], format: KeyStoreFormat, path: String, alias: String?
    ) throws(KeyStoreError) -> PrivateKey {
        switch self {
        case .plain(let der):
            guard let key = der.withUnsafeBytes({ PrivateKey(pkcs8: Array($0)) }) else {
                throw .damaged(path: path, detail: "\(Self.keyName(alias)) is not PKCS#8")
            }
            return key
        case .pem(let text, let isEncrypted):
            var failure = LibCrypto.Failure()
            for password in passwords.isEmpty ? [""] : passwords {
                switch text.withUnsafeBytes({ PrivateKey.decodePEM(Array($0), password: password) }) {
                case .success(let key): return key
                case .failure(let reason): failure = reason
                }
            }
            guard isEncrypted else { throw .damaged(path: path, detail: failure.text) }
            if passwords.isEmpty { throw .passwordRequired(path: path, setting: "tls.keyPassword") }
            throw .wrongKeyPassword(path: path, alias: alias)
        case .encrypted(let der):
            return try decryptEnvelope(der, passwords: passwords, format: format, path: path, alias: alias)
        }
    }

    private func decryptEnvelope(
        _ der: [UInt8], passwords: [String], format: KeyStoreFormat, path: String, alias: String?
    ) throws(KeyStoreError) -> PrivateKey {
        guard let envelope = JavaKeyProtector.Envelope(der) else {
            throw .damaged(path: path, detail: "\(Self.keyName(alias)) is not an EncryptedPrivateKeyInfo")
        }
        guard !passwords.isEmpty else { throw .passwordRequired(path: path, setting: "tls.keyStorePassword") }
        let javaStore = format == .jks || format == .jceks
        for password in passwords {
            var plain: [UInt8]?
            switch envelope.algorithm {
            case JavaKeyProtector.jksOID[...] where javaStore:
                plain = JavaKeyProtector.unwrapJKS(envelope.data, password: password)
            case JavaKeyProtector.jceksOID[...] where format == .jceks:
                plain = JavaKeyProtector.unwrapJCEKS(envelope.data, parameters: envelope.parameters, password: password)
            case _ where javaStore:
                throw .unsupportedEntry(path: path, detail: "the protection of \(Self.keyName(alias))")
            default:
                let result = try LibCrypto.retryingWithLegacyProvider(path: path) {
                    PrivateKey.decrypt(encryptedPKCS8: der, password: password)
                }
                if case .success(let key) = result { return key }
                continue
            }
            // A wrong JCEKS password passes the padding check about once in 256 tries; the PKCS#8 parse catches it.
            defer { plain?.wipe() }
            if let bytes = plain, let key = PrivateKey(pkcs8: bytes) { return key }
        }
        throw .wrongKeyPassword(path: path, alias: alias)
    }

    private static func keyName(_ alias: String?) -> String {
        alias.map { "private key \"\($0)\"" } ?? "private key"
    }
}
