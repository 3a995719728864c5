// SPDX-License-Identifier: Apache-2.0
import CCrypto
import Foundation

@testable import TokenProxy

/// Checks a minted leaf as a TLS client's libcrypto would: a chain to the CA as the only
/// anchor, for the sslserver purpose, for the host name or IP address, at a given time.
enum LeafVerifier {
    /// nil when the leaf verifies; else libcrypto's reason.
    static func verify(_ leaf: LeafCertificate, anchor: X509Certificate, host: String, at time: Date) -> String? {
        guard let store = X509_STORE_new(), let context = X509_STORE_CTX_new() else { return "out of memory" }
        defer {
            X509_STORE_CTX_free(context)
            X509_STORE_free(store)
        }
        _ = anchor.withHandle { X509_STORE_add_cert(store, $0) }
        return leaf.certificate.withHandle { certificate -> String? in
            guard X509_STORE_CTX_init(context, store, certificate, nil) == 1 else { return "no context" }
            X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_SERVER)
            let parameters = X509_STORE_CTX_get0_param(context)
            X509_VERIFY_PARAM_set_time(parameters, time_t(time.timeIntervalSince1970))
            let named =
                IPAddress(parsing: host) != nil
                ? X509_VERIFY_PARAM_set1_ip_asc(parameters, host) : X509_VERIFY_PARAM_set1_host(parameters, host, 0)
            guard named == 1 else { return "cannot set the expected name \(host)" }
            if X509_verify_cert(context) == 1 { return nil }
            return String(cString: X509_verify_cert_error_string(Int(X509_STORE_CTX_get_error(context))))
        }
    }

    /// Whether libcrypto's own name check accepts `host` for the leaf.
    static func matches(_ leaf: LeafCertificate, host: String) -> Bool {
        leaf.certificate.withHandle { certificate in
            IPAddress(parsing: host) != nil
                ? X509_check_ip_asc(certificate, host, 0) == 1
                : X509_check_host(certificate, host, host.utf8.count, 0, nil) == 1
        }
    }

    /// `openssl x509 -text` of the leaf, as an independent reading of its extensions.
    static func text(_ leaf: LeafCertificate) throws -> String {
        try Shell.run("openssl x509 -noout -text", input: leaf.certificate.pem).output
    }
}
