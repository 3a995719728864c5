// SPDX-License-Identifier: Apache-2.0

/// Reads a PEM file: `CERTIFICATE` blocks, and private keys in the PKCS#8,
/// PKCS#1 (`RSA PRIVATE KEY`), SEC 1 (`EC PRIVATE KEY`) and encrypted PKCS#8
/// forms. One file may hold a key and its chain in any order.
enum PEMReader {
    private static let keyLabels: Set = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]

    static func read(_ bytes: [UInt8], path: String) throws(KeyStoreError) -> KeyStoreContents {
        guard let blocks = PEMBlock.blocks(in: bytes) else {
            throw .damaged(path: path, detail: "a PEM block is not terminated or its base64 is invalid")
        }
        var contents = KeyStoreContents()
        for (index, block) in blocks.enumerated() {
            if block.label == "CERTIFICATE" {
                guard let certificate = X509Certificate(der: block.body) else {
                    throw .damaged(path: path, detail: "PEM block \(index + 1) is not a valid certificate")
                }
                contents.trusted.append(.init(alias: nil, certificate: certificate))
                contents.certificates.append(certificate)
            } else if keyLabels.contains(block.label) {
                let encrypted =
                    block.label == "ENCRYPTED PRIVATE KEY" || block.headers["Proc-Type"]?.hasSuffix("ENCRYPTED") == true
                contents.keys.append(
                    .init(alias: nil, key: .pem(SensitiveBytes(block.text), isEncrypted: encrypted), chain: []))
            }
        }
        return contents
    }
}
