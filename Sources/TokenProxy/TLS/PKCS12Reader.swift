// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

/// Reads a PKCS12 file by walking its SafeBags with libcrypto, rather than
/// `PKCS12_parse`, which returns one key only, mixes other keys' leaves into
/// the CA list and cannot open MAC-less files.
enum PKCS12Reader {
    /// Oracle's "trusted certificate" bag attribute, written by keytool.
    private static let javaTrustOID = "2.16.840.1.113894.746875.1.1"

    /// `setting` names the password option, for the error when one is needed.
    static func read(_ bytes: [UInt8], password: String?, path: String, setting: String) throws(KeyStoreError)
        -> KeyStoreContents
    {
        let parsed: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PKCS12(nil, &cursor, buffer.count)
        }
        guard let pfx = parsed else { throw .damaged(path: path, detail: LibCrypto.takeFailure().text) }
        defer { PKCS12_free(pfx) }
        var contents = KeyStoreContents()
        let hasMAC = PKCS12_mac_present(pfx) == 1
        let password = try verifiedPassword(pfx, hasMAC: hasMAC, password: password, path: path, setting: setting)
        if !hasMAC {
            contents.warnings.append("\(path) has no integrity MAC; its contents are not verified")
        }
        guard let safes = PKCS12_unpack_authsafes(pfx) else {
            throw .damaged(path: path, detail: LibCrypto.takeFailure().text)
        }
        defer { tp_crypto_pkcs7_stack_free(safes) }
        var flagged: [KeyStoreContents.TrustedCertificate] = []
        var named: [KeyStoreContents.TrustedCertificate] = []
        for index in 0..<OPENSSL_sk_num(safes) {
            let safe = OPENSSL_sk_value(safes, index).assumingMemoryBound(to: PKCS7.self)
            let bags = try unpack(safe, password: password, hasMAC: hasMAC, path: path, setting: setting)
            defer { tp_crypto_safebag_stack_free(bags) }
            for bagIndex in 0..<OPENSSL_sk_num(bags) {
                let bag = OpaquePointer(OPENSSL_sk_value(bags, bagIndex))!
                let alias = friendlyName(bag)
                switch PKCS12_SAFEBAG_get_nid(bag) {
                case NID_keyBag:
                    guard let der = LibCrypto.der({ i2d_PKCS8_PRIV_KEY_INFO(PKCS12_SAFEBAG_get0_p8inf(bag), $0) })
                    else {
                        throw .damaged(path: path, detail: "unreadable key bag")
                    }
                    contents.keys.append(.init(alias: alias, key: .plain(SensitiveBytes(der)), chain: []))
                case NID_pkcs8ShroudedKeyBag:
                    guard let der = LibCrypto.der({ i2d_X509_SIG(PKCS12_SAFEBAG_get0_pkcs8(bag), $0) }) else {
                        throw .damaged(path: path, detail: "unreadable encrypted key bag")
                    }
                    contents.keys.append(.init(alias: alias, key: .encrypted(der), chain: []))
                case NID_certBag where PKCS12_SAFEBAG_get_bag_nid(bag) == NID_x509Certificate:
                    guard let x509 = PKCS12_SAFEBAG_get1_cert(bag), let certificate = X509Certificate(owning: x509)
                    else {
                        throw .damaged(path: path, detail: "invalid certificate \(alias ?? "without a name")")
                    }
                    contents.certificates.append(certificate)
                    let entry = KeyStoreContents.TrustedCertificate(alias: alias, certificate: certificate)
                    named.append(entry)
                    if hasJavaTrust(bag) { flagged.append(entry) }
                default:
                    continue  // secret keys, CRLs, nested safe contents: not needed for TLS
                }
            }
        }
        // Java trusts only flagged certificates. A certificate-only file without
        // flags (openssl pkcs12 -nokeys) is clearly meant as a trust store, so trust all of it.
        if !flagged.isEmpty {
            contents.trusted = flagged
        } else if contents.keys.isEmpty {
            contents.trusted = named
            contents.warnings.append(
                "no certificate in \(path) carries Java's trust attribute; all \(named.count) are trusted (Java would trust none)"
            )
        }
        _ = LibCrypto.takeFailure()
        return contents
    }

    /// The password that opens the file: as configured, or for a file read
    /// without one, whichever of "no password" and "" its MAC accepts.
    private static func verifiedPassword(
        _ pfx: OpaquePointer, hasMAC: Bool, password: String?, path: String, setting: String
    ) throws(KeyStoreError) -> String? {
        guard hasMAC else { return password }
        if let password, !password.isEmpty {
            guard PKCS12_verify_mac(pfx, password, -1) == 1 else {
                _ = LibCrypto.takeFailure()
                throw .wrongStorePassword(path: path)
            }
            return password
        }
        defer { _ = LibCrypto.takeFailure() }
        if PKCS12_verify_mac(pfx, nil, 0) == 1 { return nil }
        if PKCS12_verify_mac(pfx, "", 0) == 1 { return "" }
        throw .passwordRequired(path: path, setting: setting)
    }

    private static func unpack(
        _ safe: UnsafeMutablePointer<PKCS7>, password: String?, hasMAC: Bool, path: String, setting: String
    ) throws(KeyStoreError) -> OpaquePointer {
        switch tp_crypto_pkcs7_type(safe) {
        case NID_pkcs7_data:
            guard let bags = PKCS12_unpack_p7data(safe) else {
                throw .damaged(path: path, detail: LibCrypto.takeFailure().text)
            }
            return bags
        case NID_pkcs7_encrypted:
            guard let password else { throw .passwordRequired(path: path, setting: setting) }
            let result = try LibCrypto.retryingWithLegacyProvider(path: path) {
                () -> Result<OpaquePointer, LibCrypto.Failure> in
                LibCrypto.result(PKCS12_unpack_p7encdata(safe, password, -1))
            }
            switch result {
            case .success(let bags): return bags
            case .failure where !hasMAC: throw .wrongStorePassword(path: path)
            case .failure(let failure): throw .damaged(path: path, detail: failure.text)
            }
        default:
            throw .unsupportedEntry(path: path, detail: "public-key encrypted PKCS12 content")
        }
    }

    private static func friendlyName(_ bag: OpaquePointer) -> String? {
        guard let name = PKCS12_get_friendlyname(bag) else { return nil }
        defer { tp_crypto_free(name) }
        return String(cString: name)
    }

    private static func hasJavaTrust(_ bag: OpaquePointer) -> Bool {
        guard let attributes = PKCS12_SAFEBAG_get0_attrs(bag) else { return false }
        var buffer = [CChar](repeating: 0, count: 64)
        return (0..<OPENSSL_sk_num(attributes)).contains { index in
            let attribute = OpaquePointer(OPENSSL_sk_value(attributes, index))
            guard OBJ_obj2txt(&buffer, Int32(buffer.count), X509_ATTRIBUTE_get0_object(attribute), 1) > 0 else {
                return false
            }
            return LibCrypto.text(buffer) == javaTrustOID
        }
    }
}
