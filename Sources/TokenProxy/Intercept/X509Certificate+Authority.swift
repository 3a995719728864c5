// SPDX-License-Identifier: Apache-2.0
internal import CCrypto

extension X509Certificate {
    /// Whether it may sign other certificates (basicConstraints CA:TRUE, keyCertSign if it has keyUsage).
    var isAuthority: Bool {
        withHandle { tp_crypto_certificate_is_authority($0) == 1 }
    }

    /// The SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints it, for users to compare.
    var fingerprintSHA256: String {
        LibCrypto.sha256(der).hexEncoded(separator: ":").uppercased()
    }
}

extension PrivateKey {
    /// Whether the key can sign X.509 certificates here: EC or RSA.
    var isECOrRSA: Bool {
        withHandle { [EVP_PKEY_EC, EVP_PKEY_RSA].contains(EVP_PKEY_get_base_id($0)) }
    }
}
