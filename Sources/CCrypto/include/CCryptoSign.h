// SPDX-License-Identifier: Apache-2.0
//
// One-shot signing and verification with EVP_DigestSign / EVP_DigestVerify,
// for the JWS client assertions token-proxy sends to token endpoints.
#ifndef CCRYPTO_SIGN_H
#define CCRYPTO_SIGN_H

#include <stddef.h>
#include <openssl/evp.h>

/// Signs `length` bytes of `data` with `key` and `digest` (SHA-256 for RS256).
/// With `pss` set the RSA padding is PSS with a salt as long as the digest
/// (JWS PS256). The signature is written to `signature`, whose capacity is
/// `*signature_length` (EVP_PKEY_get_size bytes suffice); on return it holds
/// the length written. ECDSA signatures come out DER-encoded. 1 on success.
int tp_crypto_digest_sign(EVP_PKEY *key, const EVP_MD *digest, int pss, const unsigned char *data, size_t length,
                          unsigned char *signature, size_t *signature_length);

/// Verifies a signature made as tp_crypto_digest_sign makes it. 1 when valid.
int tp_crypto_digest_verify(EVP_PKEY *key, const EVP_MD *digest, int pss, const unsigned char *data, size_t length,
                            const unsigned char *signature, size_t signature_length);

/// An HMAC key for EVP_DigestSign (JWS HS256), or NULL.
EVP_PKEY *tp_crypto_hmac_key(const unsigned char *secret, size_t length);

#endif
