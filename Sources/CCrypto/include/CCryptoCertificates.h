// SPDX-License-Identifier: Apache-2.0
//
// The certificates token-proxy makes itself for TLS interception: the local CA
// (`token-proxy ca init`) and the short-lived leaf it mints for each intercepted
// host. EVP_EC_gen is a variadic macro and X.509 extensions are built with the
// stack macros, which Swift cannot call, so each certificate is built here whole.
#ifndef CCRYPTO_CERTIFICATES_H
#define CCRYPTO_CERTIFICATES_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/// What differs between two certificates of one kind: the serial number and the validity.
typedef struct {
    /// Big-endian bytes of a positive serial number (at most 20).
    const unsigned char *serial;
    size_t serial_length;
    /// Seconds since 1970, UTC.
    int64_t not_before;
    int64_t not_after;
} tp_crypto_issuance;

/// A fresh EC key on P-256, or NULL.
EVP_PKEY *tp_crypto_p256_key_new(void);

/// A self-signed CA certificate for `key`, subject CN=`common_name`, O=`organization`:
/// basicConstraints critical CA:TRUE, pathlen:0 (it signs leaves only), keyUsage critical
/// keyCertSign and cRLSign, subjectKeyIdentifier; signed with SHA-256. NULL on failure.
X509 *tp_crypto_authority_issue(EVP_PKEY *key, const char *common_name, const char *organization,
                                const tp_crypto_issuance *issuance);

/// A TLS server certificate for exactly one host: subject CN=`host` (left out when longer than
/// the 64 bytes X.520 allows, and then the subjectAltName is critical), subjectAltName dNSName
/// `host`, or iPAddress when `host_is_address` (IPv4 or IPv6 text without brackets);
/// basicConstraints critical CA:FALSE, keyUsage critical digitalSignature, extendedKeyUsage
/// serverAuth, subject and authority key identifiers. Signed by `issuer_key` with SHA-256
/// (ECDSA or RSA PKCS#1 v1.5, by the key's type). NULL on failure.
X509 *tp_crypto_leaf_issue(EVP_PKEY *leaf_key, const char *host, int host_is_address, X509 *issuer,
                           EVP_PKEY *issuer_key, const tp_crypto_issuance *issuance);

/// Whether `certificate` may issue certificates: basicConstraints CA:TRUE and, when it has
/// keyUsage, keyCertSign. 1 when it may.
int tp_crypto_certificate_is_authority(X509 *certificate);

#endif
