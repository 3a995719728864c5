// SPDX-License-Identifier: Apache-2.0
//
// One end of a TLS connection over memory BIOs: libssl reads the peer's
// ciphertext from one buffer and writes its own into another, so that the
// caller keeps owning the socket and its event loop. The server side of an
// intercepted tunnel is one; the unit tests drive a client with the same code.
// Swift cannot call the BIO and app-data macros, nor read an alert from the
// info callback without a C function, hence this file.
#ifndef CCRYPTO_TLS_H
#define CCRYPTO_TLS_H

#include <stddef.h>
#include <openssl/ssl.h>

/// What a call on an endpoint came to.
typedef enum {
    /// Done: the handshake completed, or bytes were read or written.
    TP_TLS_OK = 0,
    /// libssl needs more of the peer's ciphertext; send the output first.
    TP_TLS_WANT_INPUT = 1,
    /// The peer sent close_notify.
    TP_TLS_CLOSED = 2,
    /// A protocol error; the reason is on libcrypto's error queue.
    TP_TLS_FAILED = 3,
} tp_tls_status;

typedef struct tp_tls_endpoint tp_tls_endpoint;

/// The SSL_CTX of an intercepting server: TLS 1.2 minimum, 1.3 allowed, no
/// renegotiation, ALPN answered with http/1.1 when the client offers it (and
/// no ALPN otherwise, h2 included), alerts recorded on the endpoint. NULL on failure.
SSL_CTX *tp_tls_server_context_new(void);

/// An endpoint for `context`'s new connection, as the server or as the client. NULL on failure.
tp_tls_endpoint *tp_tls_endpoint_new(SSL_CTX *context, int server);
void tp_tls_endpoint_free(tp_tls_endpoint *endpoint);

/// The connection, to give it a certificate (server) or the name to verify (client).
SSL *tp_tls_endpoint_ssl(tp_tls_endpoint *endpoint);

/// Hands the peer's ciphertext to libssl. 1 on success.
int tp_tls_endpoint_receive(tp_tls_endpoint *endpoint, const unsigned char *data, size_t length);

tp_tls_status tp_tls_endpoint_handshake(tp_tls_endpoint *endpoint);

/// Reads up to `capacity` bytes of plaintext; `*length` is how many.
tp_tls_status tp_tls_endpoint_read(tp_tls_endpoint *endpoint, unsigned char *buffer, size_t capacity,
                                   size_t *length);

/// Encrypts all of `data` into the output (a memory BIO takes any amount).
tp_tls_status tp_tls_endpoint_write(tp_tls_endpoint *endpoint, const unsigned char *data, size_t length);

/// Queues close_notify in the output.
void tp_tls_endpoint_shutdown(tp_tls_endpoint *endpoint);

/// Bytes of ciphertext waiting to be sent.
size_t tp_tls_endpoint_pending_output(tp_tls_endpoint *endpoint);

/// Moves up to `capacity` bytes of waiting ciphertext into `buffer`; returns how many.
size_t tp_tls_endpoint_take_output(tp_tls_endpoint *endpoint, unsigned char *buffer, size_t capacity);

/// The description of the last alert other than close_notify that the peer sent
/// (`received`) or this end sent; -1 when none.
int tp_tls_endpoint_alert(const tp_tls_endpoint *endpoint, int received);

#endif
