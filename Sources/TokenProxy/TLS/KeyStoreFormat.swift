// SPDX-License-Identifier: Apache-2.0

/// The container a store file turned out to be. Told from the bytes, never
/// from the file name: keytool 9 and later write PKCS12 into `*.jks` files.
public enum KeyStoreFormat: String, Sendable {
    case jks = "JKS"
    case jceks = "JCEKS"
    case pkcs12 = "PKCS12"
    case pem = "PEM"

    /// The format of `bytes`, or nil when they are none of the four.
    static func detect(_ bytes: [UInt8]) -> KeyStoreFormat? {
        if bytes.starts(with: [0xFE, 0xED, 0xFE, 0xED]) { return .jks }
        if bytes.starts(with: [0xCE, 0xCE, 0xCE, 0xCE]) { return .jceks }
        if isPFX(bytes) { return .pkcs12 }
        if textStart(bytes).starts(with: Array("-----BEGIN ".utf8)) { return .pem }
        return nil
    }

    /// What unrecognised bytes resemble, with the step that makes them usable.
    static func describeUnknown(_ bytes: [UInt8]) -> String {
        let text = textStart(bytes)
        if bytes.isEmpty { return "the file is empty" }
        if text.starts(with: Array("/u3+7".utf8)) {
            return "it is base64 text of a JKS store; decode it first (base64 -d)"
        }
        if text.starts(with: Array("zs7Ozg".utf8)) {
            return "it is base64 text of a JCEKS store; decode it first (base64 -d)"
        }
        if text.starts(with: Array("MII".utf8)) {
            return "it is base64 text of a DER file (PKCS12 or certificate); decode it first (base64 -d)"
        }
        if bytes.starts(with: [0x00, 0x00, 0x00]), let version = bytes.dropFirst(3).first, version == 1 || version == 2
        {
            return "it looks like a Bouncy Castle BKS/UBER store, which is not supported; convert it with "
                + "keytool -importkeystore -srcstoretype BKS -deststoretype PKCS12"
        }
        if bytes.starts(with: [0x30, 0x82]), bytes.count > 4, bytes[4] == 0x30 {
            return "it looks like a single DER certificate; convert it to PEM with openssl x509 -inform DER"
        }
        return "it starts with \(bytes.prefix(4).hexEncoded(separator: " "))"
    }

    /// PFX: SEQUENCE (any length form), then INTEGER 3.
    private static func isPFX(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 8, bytes[0] == 0x30 else { return false }
        let lengthBytes: Int
        switch bytes[1] {
        case 0x00...0x7F, 0x80: lengthBytes = 0
        case 0x81...0x84: lengthBytes = Int(bytes[1] & 0x7F)
        default: return false
        }
        return bytes[(2 + lengthBytes)...].starts(with: [0x02, 0x01, 0x03])
    }

    /// The bytes after a UTF-8 byte order mark and leading whitespace.
    private static func textStart(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var text = bytes[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        return text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}
