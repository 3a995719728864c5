// SPDX-License-Identifier: Apache-2.0
//
// The few libcrypto calls token-proxy's key store readers need.
#ifndef CCRYPTO_H
#define CCRYPTO_H

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#endif
