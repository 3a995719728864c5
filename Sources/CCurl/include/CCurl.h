// SPDX-License-Identifier: Apache-2.0
//
// Typed wrappers for libcurl's variadic calls (curl_easy_setopt, curl_easy_getinfo,
// curl_multi_setopt), which Swift cannot call directly. Each wrapper maps 1:1 to
// the curl call it names; all logic stays in Swift (Sources/TokenProxy/Upstream).
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>
#include <stddef.h>

/// Initialises OpenSSL (without its atexit handler, which races Dispatch
/// threads at exit) and then libcurl. Call once, before any transfer.
CURLcode ccurl_global_init(void);

CURLcode ccurl_easy_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode ccurl_easy_setopt_off_t(CURL *easy, CURLoption option, curl_off_t value);
CURLcode ccurl_easy_setopt_string(CURL *easy, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_pointer(CURL *easy, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value);
/// Sets a CURLOPT_*_BLOB option; curl copies the bytes (CURL_BLOB_COPY).
CURLcode ccurl_easy_setopt_blob(CURL *easy, CURLoption option, const void *data, size_t length);
CURLcode ccurl_easy_setopt_write_function(CURL *easy, curl_write_callback callback);
CURLcode ccurl_easy_setopt_header_function(CURL *easy, curl_write_callback callback);
CURLcode ccurl_easy_setopt_read_function(CURL *easy, curl_read_callback callback);
CURLcode ccurl_easy_setopt_seek_function(CURL *easy, curl_seek_callback callback);
CURLcode ccurl_easy_setopt_closesocket_function(CURL *easy, curl_closesocket_callback callback);
/// CURLOPT_SSL_CTX_FUNCTION and its CURLOPT_SSL_CTX_DATA.
CURLcode ccurl_easy_setopt_ssl_ctx_function(CURL *easy, curl_ssl_ctx_callback callback, void *userdata);

CURLcode ccurl_easy_getinfo_long(CURL *easy, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value);

CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode ccurl_multi_setopt_socket_function(CURLM *multi, curl_socket_callback callback, void *userdata);
CURLMcode ccurl_multi_setopt_timer_function(CURLM *multi, curl_multi_timer_callback callback, void *userdata);

/// Constants defined as compound macros, which Swift does not import.
extern const long ccurl_pause_continue;
extern const size_t ccurl_write_pause;
extern const size_t ccurl_read_abort;
extern const size_t ccurl_read_pause;
extern const int ccurl_seek_ok;
extern const int ccurl_seek_cantseek;
extern const curl_socket_t ccurl_socket_timeout;
extern const long ccurl_auth_basic;

#endif
