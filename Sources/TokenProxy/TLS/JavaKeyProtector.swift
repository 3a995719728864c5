// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// Sun's two private-key protections inside JKS and JCEKS entries. Both wrap
/// a PKCS#8 `PrivateKeyInfo` in an `EncryptedPrivateKeyInfo` under their own OID.
enum JavaKeyProtector {
    /// 1.3.6.1.4.1.42.2.17.1.1: JKS, SHA-1 keystream XOR (`sun.security.provider.KeyProtector`).
    static let jksOID: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x2A, 0x02, 0x11, 0x01, 0x01]
    /// 1.3.6.1.4.1.42.2.19.1: JCEKS, PBEWithMD5AndTripleDES (`com.sun.crypto.provider.KeyProtector`).
    static let jceksOID: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x2A, 0x02, 0x13, 0x01]
    /// Java refuses more iterations than this; so do we, to bound the work a file can demand.
    private static let maximumIterations = 5_000_000

    /// The algorithm OID, its parameters and the encrypted data of an `EncryptedPrivateKeyInfo`.
    struct Envelope {
        let algorithm: ArraySlice<UInt8>
        let parameters: DERReader.Element?
        let data: ArraySlice<UInt8>

        init?(_ der: [UInt8]) {
            var outer = DERReader(der[...])
            guard let info = outer.read(DERReader.sequence) else { return nil }
            var fields = DERReader(info.content)
            guard let identifier = fields.read(DERReader.sequence), let data = fields.read(DERReader.octetString)
            else { return nil }
            var algorithm = DERReader(identifier.content)
            guard let oid = algorithm.read(DERReader.objectIdentifier) else { return nil }
            self.algorithm = oid.content
            self.parameters = algorithm.readAny()
            self.data = data.content
        }
    }

    /// JKS: salt(20) ‖ ciphertext ‖ check(20); keystream d = SHA1(pw ‖ d) from d = salt;
    /// the check is SHA1(pw ‖ plaintext). Nil when the password is wrong.
    static func unwrapJKS(_ blob: ArraySlice<UInt8>, password: String) -> [UInt8]? {
        guard blob.count >= 40 else { return nil }
        var passwordBytes = JavaKeyStore.utf16BigEndian(password)
        defer { passwordBytes.wipe() }
        let salt = blob.prefix(20)
        let cipher = blob.dropFirst(20).dropLast(20)
        var plain: [UInt8] = []
        plain.reserveCapacity(cipher.count)
        var block = Array(salt)
        var cipherIndex = cipher.startIndex
        while cipherIndex < cipher.endIndex {
            block = LibCrypto.sha1([passwordBytes[...], block[...]])
            for byte in block where cipherIndex < cipher.endIndex {
                plain.append(cipher[cipherIndex] ^ byte)
                cipherIndex += 1
            }
        }
        block.wipe()
        let check = LibCrypto.sha1([passwordBytes[...], plain[...]])
        guard LibCrypto.constantTimeEqual(check, blob.suffix(20)) else {
            plain.wipe()
            return nil
        }
        return plain
    }

    /// JCEKS: key and IV from MD5 iterated over each salt half and the password,
    /// then DES-EDE3-CBC. Nil when the password is wrong (bad padding) or the
    /// parameters are not a `PBEParameter` with a sane iteration count.
    static func unwrapJCEKS(_ blob: ArraySlice<UInt8>, parameters: DERReader.Element?, password: String) -> [UInt8]? {
        guard let parameters, parameters.tag == DERReader.sequence else { return nil }
        var fields = DERReader(parameters.content)
        guard let salt = fields.read(DERReader.octetString), salt.content.count == 8,
            let count = fields.read(DERReader.integer), count.content.count <= 4
        else { return nil }
        let iterations = count.content.reduce(0) { $0 << 8 | Int($1) }
        guard (1...maximumIterations).contains(iterations) else { return nil }
        var passwordBytes = Array(password.utf8)
        var halves = [Array(salt.content.prefix(4)), Array(salt.content.suffix(4))]
        if halves[0] == halves[1] { halves[0].reverse() }  // JDK 8+ for "weak" salts
        var material = halves.flatMap { iteratedMD5($0, password: passwordBytes, iterations: iterations) }
        defer {
            passwordBytes.wipe()
            material.wipe()
        }
        return decryptTripleDES(blob, key: material.prefix(24), iv: material.suffix(8))
    }

    private static func iteratedMD5(_ seed: [UInt8], password: [UInt8], iterations: Int) -> [UInt8] {
        let md5 = EVP_MD_fetch(nil, "MD5", nil)
        let context = EVP_MD_CTX_new()
        defer {
            EVP_MD_CTX_free(context)
            EVP_MD_free(md5)
        }
        var state = seed
        var length: UInt32 = 0
        for _ in 0..<iterations {
            EVP_DigestInit_ex2(context, md5, nil)
            EVP_DigestUpdate(context, state, state.count)
            EVP_DigestUpdate(context, password, password.count)
            state = [UInt8](repeating: 0, count: 16)
            EVP_DigestFinal_ex(context, &state, &length)
        }
        return state
    }

    private static func decryptTripleDES(_ cipher: ArraySlice<UInt8>, key: ArraySlice<UInt8>, iv: ArraySlice<UInt8>)
        -> [UInt8]?
    {
        let algorithm = EVP_CIPHER_fetch(nil, "DES-EDE3-CBC", nil)
        let context = EVP_CIPHER_CTX_new()
        defer {
            EVP_CIPHER_CTX_free(context)
            EVP_CIPHER_free(algorithm)
            _ = LibCrypto.takeFailure()
        }
        var plain = [UInt8](repeating: 0, count: cipher.count + 8)
        var written: Int32 = 0
        var final: Int32 = 0
        let cipherBytes = Array(cipher)
        guard EVP_DecryptInit_ex2(context, algorithm, Array(key), Array(iv), nil) == 1,
            EVP_DecryptUpdate(context, &plain, &written, cipherBytes, Int32(cipherBytes.count)) == 1,
            plain.withUnsafeMutableBufferPointer({
                EVP_DecryptFinal_ex(context, $0.baseAddress! + Int(written), &final)
            }) == 1
        else {
            plain.wipe()
            return nil
        }
        let result = Array(plain.prefix(Int(written + final)))
        plain.wipe()
        return result
    }
}
