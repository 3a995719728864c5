// SPDX-License-Identifier: Apache-2.0

/// Reads Sun's JKS and JCEKS containers (OpenJDK `JavaKeyStore`, `JceKeyStore`):
/// a header, tagged entries and a trailing SHA-1 integrity digest, all big-endian.
enum JavaKeyStore {
    private static let privateKeyTag: UInt32 = 1
    private static let trustedCertificateTag: UInt32 = 2
    private static let secretKeyTag: UInt32 = 3
    private static let digestLength = 20

    /// Parses every entry without decrypting keys. Certificates are decoded so
    /// that a damaged one is reported here, with its alias.
    static func read(_ bytes: [UInt8], format: KeyStoreFormat, path: String) throws(KeyStoreError) -> KeyStoreContents {
        var reader = ByteReader(bytes, path: path)
        try reader.skip(4)
        let version = try reader.u32()
        guard version == 1 || version == 2 else { throw reader.damaged("unknown version \(version)") }
        let count = try reader.length()
        var contents = KeyStoreContents()
        var keyAliases: Set<String> = []
        for _ in 0..<count {
            let tag = try reader.u32()
            let alias = try reader.utf()
            try reader.skip(8)  // creation time
            switch tag {
            case privateKeyTag:
                let protected = Array(try reader.take(try reader.length()))
                let chain = try (0..<(try reader.length())).map { _ throws(KeyStoreError) in
                    try certificate(&reader, version: version, alias: alias)
                }
                guard keyAliases.insert(alias.lowercased()).inserted else {
                    throw .damaged(path: path, detail: "two private keys named \"\(alias)\"")
                }
                contents.keys.append(.init(alias: alias, key: .encrypted(protected), chain: chain))
                contents.certificates += chain
            case trustedCertificateTag:
                let certificate = try certificate(&reader, version: version, alias: alias)
                contents.trusted.append(.init(alias: alias, certificate: certificate))
                contents.certificates.append(certificate)
            case secretKeyTag where format == .jceks:
                throw .jceksSecretKey(path: path, alias: alias)
            default:
                throw .unsupportedEntry(path: path, detail: "entry \"\(alias)\" of type \(tag)")
            }
        }
        guard reader.remaining == digestLength else {
            throw reader.damaged("\(reader.remaining) bytes left where the \(digestLength)-byte digest belongs")
        }
        return contents
    }

    /// Checks the trailing digest: SHA-1 over the UTF-16BE password, the
    /// words "Mighty Aphrodite" and every byte before the digest.
    static func verifyIntegrity(_ bytes: [UInt8], password: String, path: String) throws(KeyStoreError) {
        guard bytes.count >= digestLength else { throw .damaged(path: path, detail: "shorter than its digest") }
        var passwordBytes = utf16BigEndian(password)
        defer { passwordBytes.wipe() }
        let body = bytes.dropLast(digestLength)
        let expected = LibCrypto.sha1([passwordBytes[...], Array("Mighty Aphrodite".utf8)[...], body])
        guard LibCrypto.constantTimeEqual(expected, bytes.suffix(digestLength)) else {
            throw .wrongStorePassword(path: path)
        }
    }

    /// Java's `char[]` password as bytes: each UTF-16 code unit, high byte first.
    static func utf16BigEndian(_ password: String) -> [UInt8] {
        password.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    private static func certificate(
        _ reader: inout ByteReader, version: UInt32, alias: String
    ) throws(KeyStoreError) -> X509Certificate {
        if version == 2 {
            let type = try reader.utf()
            guard type == "X.509" else {
                throw .unsupportedEntry(path: reader.path, detail: "certificate type \(type) in entry \"\(alias)\"")
            }
        }
        let der = try reader.take(try reader.length())
        guard let certificate = X509Certificate(der: der) else {
            throw reader.damaged("entry \"\(alias)\" holds an invalid certificate")
        }
        return certificate
    }
}
