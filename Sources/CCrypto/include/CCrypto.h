// SPDX-License-Identifier: Apache-2.0
//
// The few libcrypto calls token-proxy's key store readers need, the one libssl
// call that hands a route's trust anchors to curl's TLS connections, and (in the
// headers below) signing, the interception CA's certificates and the TLS server
// side of intercepted tunnels.
#ifndef CCRYPTO_H
#define CCRYPTO_H

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "CCryptoCertificates.h"
#include "CCryptoSign.h"
#include "CCryptoTLS.h"

// Swift cannot call OpenSSL's function-like macros, nor read a few values
// that are spelled as macro expressions; these wrappers give them one typed
// function each.

/// OPENSSL_free.
void tp_crypto_free(void *pointer);

/// Whether a packed error code is ERR_R_UNSUPPORTED (an algorithm that the
/// loaded providers do not offer, such as RC2 without the legacy provider).
int tp_crypto_error_is_unsupported(unsigned long code);

/// The NID of a PKCS#7 content type (the PKCS7_type_is_* macros read it).
int tp_crypto_pkcs7_type(const PKCS7 *p7);

/// sk_PKCS7_pop_free(stack, PKCS7_free).
void tp_crypto_pkcs7_stack_free(STACK_OF(PKCS7) *stack);

/// sk_PKCS12_SAFEBAG_pop_free(stack, PKCS12_SAFEBAG_free).
void tp_crypto_safebag_stack_free(STACK_OF(PKCS12_SAFEBAG) *stack);

/// Prints a distinguished name as RFC 2253 text ("CN=leaf,O=Example"),
/// keeping UTF-8 as is.
int tp_crypto_name_print(BIO *bio, const X509_NAME *name);

#endif
