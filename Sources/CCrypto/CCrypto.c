// SPDX-License-Identifier: Apache-2.0
#include "CCrypto.h"

void tp_crypto_free(void *pointer) {
    OPENSSL_free(pointer);
}

int tp_crypto_error_is_unsupported(unsigned long code) {
    return ERR_GET_REASON(code) == ERR_R_UNSUPPORTED;
}

int tp_crypto_pkcs7_type(const PKCS7 *p7) {
    return OBJ_obj2nid(p7->type);
}

void tp_crypto_pkcs7_stack_free(STACK_OF(PKCS7) *stack) {
    sk_PKCS7_pop_free(stack, PKCS7_free);
}

void tp_crypto_safebag_stack_free(STACK_OF(PKCS12_SAFEBAG) *stack) {
    sk_PKCS12_SAFEBAG_pop_free(stack, PKCS12_SAFEBAG_free);
}

int tp_crypto_name_print(BIO *bio, const X509_NAME *name) {
    return X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
}
