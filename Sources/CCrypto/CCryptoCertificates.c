// SPDX-License-Identifier: Apache-2.0
#include "CCryptoCertificates.h"

#include <string.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>

/// X.520's upper bound for a common name.
#define TP_COMMON_NAME_MAX 64

EVP_PKEY *tp_crypto_p256_key_new(void) {
    return EVP_EC_gen("P-256");
}

/// Version 3, serial, validity and public key: what every certificate here starts with.
static X509 *tp_crypto_certificate_new(EVP_PKEY *subject_key, const tp_crypto_issuance *issuance) {
    X509 *certificate = X509_new();
    BIGNUM *serial = BN_bin2bn(issuance->serial, (int)issuance->serial_length, NULL);
    int ok = certificate != NULL && serial != NULL
        && X509_set_version(certificate, X509_VERSION_3)
        && BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) != NULL
        && ASN1_TIME_set(X509_getm_notBefore(certificate), (time_t)issuance->not_before) != NULL
        && ASN1_TIME_set(X509_getm_notAfter(certificate), (time_t)issuance->not_after) != NULL
        && X509_set_pubkey(certificate, subject_key);
    BN_free(serial);
    if (!ok) {
        X509_free(certificate);
        return NULL;
    }
    return certificate;
}

/// Adds an extension written as a constant in OpenSSL's configuration syntax; `issuer`
/// is read for authorityKeyIdentifier. Only constants go through that syntax: a host
/// name there could smuggle in another name after a comma.
static int tp_crypto_add_extension(X509 *certificate, X509 *issuer, int nid, const char *value) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, certificate, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &context, nid, value);
    int ok = extension != NULL && X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    return ok;
}

static int tp_crypto_add_name_entry(X509_NAME *name, const char *field, const char *value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1, 0);
}

/// Signs with SHA-256, or frees the certificate.
static X509 *tp_crypto_sign_or_free(X509 *certificate, EVP_PKEY *issuer_key) {
    if (X509_sign(certificate, issuer_key, EVP_sha256()) > 0) {
        return certificate;
    }
    X509_free(certificate);
    return NULL;
}

X509 *tp_crypto_authority_issue(EVP_PKEY *key, const char *common_name, const char *organization,
                                const tp_crypto_issuance *issuance) {
    X509 *certificate = tp_crypto_certificate_new(key, issuance);
    if (certificate == NULL) {
        return NULL;
    }
    X509_NAME *name = X509_get_subject_name(certificate);
    int ok = tp_crypto_add_name_entry(name, "CN", common_name)
        && tp_crypto_add_name_entry(name, "O", organization)
        && X509_set_issuer_name(certificate, name)
        && tp_crypto_add_extension(certificate, certificate, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
        && tp_crypto_add_extension(certificate, certificate, NID_key_usage, "critical,keyCertSign,cRLSign")
        && tp_crypto_add_extension(certificate, certificate, NID_subject_key_identifier, "hash");
    if (!ok) {
        X509_free(certificate);
        return NULL;
    }
    return tp_crypto_sign_or_free(certificate, key);
}

/// The one subjectAltName entry, built as a value rather than parsed from text.
static int tp_crypto_add_host_name(X509 *certificate, const char *host, int host_is_address, int critical) {
    GENERAL_NAMES *names = GENERAL_NAMES_new();
    GENERAL_NAME *name = GENERAL_NAME_new();
    int ok = 0;
    if (names != NULL && name != NULL) {
        if (host_is_address) {
            ASN1_OCTET_STRING *address = a2i_IPADDRESS(host);
            ok = address != NULL;
            if (ok) {
                GENERAL_NAME_set0_value(name, GEN_IPADD, address);
            }
        } else {
            ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
            ok = dns != NULL && ASN1_STRING_set(dns, host, (int)strlen(host));
            if (ok) {
                GENERAL_NAME_set0_value(name, GEN_DNS, dns);
            } else {
                ASN1_IA5STRING_free(dns);
            }
        }
    }
    if (ok && sk_GENERAL_NAME_push(names, name) > 0) {
        name = NULL;  // now owned by names
        ok = X509_add1_ext_i2d(certificate, NID_subject_alt_name, names, critical, X509V3_ADD_DEFAULT) == 1;
    } else {
        ok = 0;
    }
    GENERAL_NAME_free(name);
    GENERAL_NAMES_free(names);
    return ok;
}

X509 *tp_crypto_leaf_issue(EVP_PKEY *leaf_key, const char *host, int host_is_address, X509 *issuer,
                           EVP_PKEY *issuer_key, const tp_crypto_issuance *issuance) {
    X509 *certificate = tp_crypto_certificate_new(leaf_key, issuance);
    if (certificate == NULL) {
        return NULL;
    }
    // RFC 5280 4.2.1.6: with an empty subject the subjectAltName must be critical.
    int named = strlen(host) <= TP_COMMON_NAME_MAX;
    int ok = (!named || tp_crypto_add_name_entry(X509_get_subject_name(certificate), "CN", host))
        && X509_set_issuer_name(certificate, X509_get_subject_name(issuer))
        && tp_crypto_add_host_name(certificate, host, host_is_address, !named)
        && tp_crypto_add_extension(certificate, issuer, NID_basic_constraints, "critical,CA:FALSE")
        && tp_crypto_add_extension(certificate, issuer, NID_key_usage, "critical,digitalSignature")
        && tp_crypto_add_extension(certificate, issuer, NID_ext_key_usage, "serverAuth")
        && tp_crypto_add_extension(certificate, issuer, NID_subject_key_identifier, "hash")
        // The issuer's key identifier, or its name and serial when it has no subjectKeyIdentifier.
        && tp_crypto_add_extension(certificate, issuer, NID_authority_key_identifier, "keyid,issuer");
    if (!ok) {
        X509_free(certificate);
        return NULL;
    }
    return tp_crypto_sign_or_free(certificate, issuer_key);
}

int tp_crypto_certificate_is_authority(X509 *certificate) {
    uint32_t flags = X509_get_extension_flags(certificate);
    // X509_get_key_usage answers UINT32_MAX (every usage) when the certificate has no keyUsage.
    return (flags & EXFLAG_INVALID) == 0 && (flags & EXFLAG_CA) != 0
        && (X509_get_key_usage(certificate) & KU_KEY_CERT_SIGN) != 0;
}
