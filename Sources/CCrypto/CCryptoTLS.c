// SPDX-License-Identifier: Apache-2.0
#include "CCryptoTLS.h"

#include <stdlib.h>

struct tp_tls_endpoint {
    SSL *ssl;
    /// The peer's ciphertext, for libssl to read; owned by `ssl`.
    BIO *network_in;
    /// libssl's ciphertext, for the caller to send; owned by `ssl`.
    BIO *network_out;
    int alert_received;
    int alert_sent;
};

/// ALPN's wire form: a length byte, then the name.
static const unsigned char tp_tls_http11[] = "\x08http/1.1";

static int tp_tls_select_alpn(SSL *ssl, const unsigned char **out, unsigned char *out_length,
                              const unsigned char *offered, unsigned int offered_length, void *unused) {
    (void)ssl;
    (void)unused;
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, out_length, tp_tls_http11, sizeof tp_tls_http11 - 1, offered,
                              offered_length) != OPENSSL_NPN_NEGOTIATED) {
        // No http/1.1 on offer: carry on without ALPN rather than fail, as RFC 7301 allows.
        return SSL_TLSEXT_ERR_NOACK;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

/// Keeps the alerts, since the one a client sends (unknown_ca, bad_certificate) is
/// the only sign that it does not trust the CA.
static void tp_tls_record_alert(const SSL *ssl, int where, int value) {
    tp_tls_endpoint *endpoint = SSL_get_app_data(ssl);
    int description = value & 0xff;
    if (endpoint == NULL || (where & SSL_CB_ALERT) == 0 || description == SSL_AD_CLOSE_NOTIFY) {
        return;
    }
    if (where & SSL_CB_READ) {
        endpoint->alert_received = description;
    } else {
        endpoint->alert_sent = description;
    }
}

SSL_CTX *tp_tls_server_context_new(void) {
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    if (context == NULL) {
        return NULL;
    }
    if (SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1) {
        SSL_CTX_free(context);
        return NULL;
    }
    SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_alpn_select_cb(context, tp_tls_select_alpn, NULL);
    return context;
}

tp_tls_endpoint *tp_tls_endpoint_new(SSL_CTX *context, int server) {
    tp_tls_endpoint *endpoint = calloc(1, sizeof *endpoint);
    if (endpoint == NULL) {
        return NULL;
    }
    endpoint->alert_received = -1;
    endpoint->alert_sent = -1;
    endpoint->ssl = SSL_new(context);
    endpoint->network_in = BIO_new(BIO_s_mem());
    endpoint->network_out = BIO_new(BIO_s_mem());
    if (endpoint->ssl == NULL || endpoint->network_in == NULL || endpoint->network_out == NULL) {
        BIO_free(endpoint->network_in);
        BIO_free(endpoint->network_out);
        SSL_free(endpoint->ssl);
        free(endpoint);
        return NULL;
    }
    // An empty input buffer means "wait for more", not end of stream: the caller reports the end.
    BIO_set_mem_eof_return(endpoint->network_in, -1);
    SSL_set_bio(endpoint->ssl, endpoint->network_in, endpoint->network_out);
    SSL_set_app_data(endpoint->ssl, endpoint);
    SSL_set_info_callback(endpoint->ssl, tp_tls_record_alert);
    if (server) {
        SSL_set_accept_state(endpoint->ssl);
    } else {
        SSL_set_connect_state(endpoint->ssl);
    }
    return endpoint;
}

void tp_tls_endpoint_free(tp_tls_endpoint *endpoint) {
    if (endpoint == NULL) {
        return;
    }
    SSL_free(endpoint->ssl);
    free(endpoint);
}

SSL *tp_tls_endpoint_ssl(tp_tls_endpoint *endpoint) {
    return endpoint->ssl;
}

int tp_tls_endpoint_receive(tp_tls_endpoint *endpoint, const unsigned char *data, size_t length) {
    size_t written = 0;
    return length == 0 || BIO_write_ex(endpoint->network_in, data, length, &written) == 1;
}

static tp_tls_status tp_tls_status_of(tp_tls_endpoint *endpoint, int result) {
    switch (SSL_get_error(endpoint->ssl, result)) {
    case SSL_ERROR_NONE:
        return TP_TLS_OK;
    case SSL_ERROR_WANT_READ:
        return TP_TLS_WANT_INPUT;
    case SSL_ERROR_ZERO_RETURN:
        return TP_TLS_CLOSED;
    default:
        // A memory BIO never asks to retry a write, so anything else is an error.
        return TP_TLS_FAILED;
    }
}

tp_tls_status tp_tls_endpoint_handshake(tp_tls_endpoint *endpoint) {
    return tp_tls_status_of(endpoint, SSL_do_handshake(endpoint->ssl));
}

tp_tls_status tp_tls_endpoint_read(tp_tls_endpoint *endpoint, unsigned char *buffer, size_t capacity,
                                   size_t *length) {
    *length = 0;
    return tp_tls_status_of(endpoint, SSL_read_ex(endpoint->ssl, buffer, capacity, length));
}

tp_tls_status tp_tls_endpoint_write(tp_tls_endpoint *endpoint, const unsigned char *data, size_t length) {
    size_t written = 0;
    if (length == 0) {
        return TP_TLS_OK;
    }
    return tp_tls_status_of(endpoint, SSL_write_ex(endpoint->ssl, data, length, &written));
}

void tp_tls_endpoint_shutdown(tp_tls_endpoint *endpoint) {
    // 0 (close_notify sent, the peer's not yet seen) is all a half-close needs.
    (void)SSL_shutdown(endpoint->ssl);
}

size_t tp_tls_endpoint_pending_output(tp_tls_endpoint *endpoint) {
    return BIO_ctrl_pending(endpoint->network_out);
}

size_t tp_tls_endpoint_take_output(tp_tls_endpoint *endpoint, unsigned char *buffer, size_t capacity) {
    size_t taken = 0;
    return BIO_read_ex(endpoint->network_out, buffer, capacity, &taken) == 1 ? taken : 0;
}

int tp_tls_endpoint_alert(const tp_tls_endpoint *endpoint, int received) {
    return received ? endpoint->alert_received : endpoint->alert_sent;
}
