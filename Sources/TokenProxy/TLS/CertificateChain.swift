// SPDX-License-Identifier: Apache-2.0

/// Orders a key's certificates for the TLS handshake when the store does not
/// record the chain (PKCS12, PEM): the leaf whose public key matches, then
/// each issuer found among the store's certificates, up to a self-issued root.
enum CertificateChain {
    static func build(for key: PrivateKey, from certificates: [X509Certificate]) -> [X509Certificate] {
        guard let leaf = certificates.first(where: { $0.matches(key) }) else { return [] }
        var chain = [leaf]
        while let last = chain.last, !last.isSelfIssued,
            let issuer = certificates.first(where: { candidate in
                !chain.contains { $0 === candidate } && last.isIssued(by: candidate)
            })
        {
            chain.append(issuer)
        }
        return chain
    }
}
