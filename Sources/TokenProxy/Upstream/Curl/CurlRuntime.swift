// SPDX-License-Identifier: Apache-2.0
import CCurl

/// Process-wide libcurl set-up, done once before the first handle is made.
///
/// OpenSSL is initialised with `OPENSSL_INIT_NO_ATEXIT` first: its atexit
/// handler would free state that Dispatch threads may still use at exit.
enum CurlRuntime {
    private static let initialized: Bool = {
        let code = ccurl_global_init()
        precondition(code == CURLE_OK, "curl_global_init failed: \(code.rawValue)")
        return true
    }()

    static func ensureInitialized() {
        _ = initialized
    }
}
