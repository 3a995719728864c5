// SPDX-License-Identifier: Apache-2.0
#include "CCryptoSign.h"

#include <openssl/rsa.h>

static int tp_crypto_use_pss(EVP_PKEY_CTX *context) {
    return EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) > 0
        && EVP_PKEY_CTX_set_rsa_pss_saltlen(context, RSA_PSS_SALTLEN_DIGEST) > 0;
}

int tp_crypto_digest_sign(EVP_PKEY *key, const EVP_MD *digest, int pss, const unsigned char *data, size_t length,
                          unsigned char *signature, size_t *signature_length) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    EVP_PKEY_CTX *key_context = NULL;
    int ok = context != NULL
        && EVP_DigestSignInit(context, &key_context, digest, NULL, key) == 1
        && (!pss || tp_crypto_use_pss(key_context))
        && EVP_DigestSign(context, signature, signature_length, data, length) == 1;
    EVP_MD_CTX_free(context);
    return ok;
}

int tp_crypto_digest_verify(EVP_PKEY *key, const EVP_MD *digest, int pss, const unsigned char *data, size_t length,
                            const unsigned char *signature, size_t signature_length) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    EVP_PKEY_CTX *key_context = NULL;
    int ok = context != NULL
        && EVP_DigestVerifyInit(context, &key_context, digest, NULL, key) == 1
        && (!pss || tp_crypto_use_pss(key_context))
        && EVP_DigestVerify(context, signature, signature_length, data, length) == 1;
    EVP_MD_CTX_free(context);
    return ok;
}

EVP_PKEY *tp_crypto_hmac_key(const unsigned char *secret, size_t length) {
    return EVP_PKEY_new_raw_private_key(EVP_PKEY_HMAC, NULL, secret, length);
}
