// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Opens a store file and reads its container, whichever of the formats its bytes show.
enum KeyStoreReader {
    /// Key stores are small; anything larger is not one, and is not read into memory.
    static let maximumSize = 16 << 20

    /// `password` checks integrity and opens encrypted containers; without one
    /// a JKS or JCEKS store is read unverified, with a warning. `setting` names
    /// the password option for messages.
    static func open(
        path: String, password: String?, setting: String
    ) throws(KeyStoreError) -> (format: KeyStoreFormat, contents: KeyStoreContents) {
        let bytes = try readFile(path)
        guard let format = KeyStoreFormat.detect(bytes) else {
            throw .notAKeyStore(path: path, looksLike: KeyStoreFormat.describeUnknown(bytes))
        }
        switch format {
        case .jks, .jceks:
            var contents = try JavaKeyStore.read(bytes, format: format, path: path)
            if let password, !password.isEmpty {
                try JavaKeyStore.verifyIntegrity(bytes, password: password, path: path)
            } else {
                contents.warnings.append("integrity of \(path) not verified: no password configured (\(setting))")
            }
            return (format, contents)
        case .pkcs12:
            return (format, try PKCS12Reader.read(bytes, password: password, path: path, setting: setting))
        case .pem:
            return (format, try PEMReader.read(bytes, path: path))
        }
    }

    private static func readFile(_ path: String) throws(KeyStoreError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileUnreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .fileUnreadable(path: path, reason: "it is a directory") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumSize else {
            throw .notAKeyStore(path: path, looksLike: "it is larger than \(maximumSize >> 20) MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .fileUnreadable(path: path, reason: "permission denied or I/O error")
        }
        return Array(data)
    }
}
