// SPDX-License-Identifier: Apache-2.0
import Glibc

extension ProxyError {
    /// The contract's error for an upstream try that failed in curl: `504` for a timeout, else
    /// `502 upstream_unreachable` with curl's message and, where the codes show it, what to check.
    ///
    /// - Parameters:
    ///   - proxy: the route's way out, which tells whether a failure was the chained proxy's.
    ///   - timeout: the exchange's timeout, named in the `504`.
    static func upstreamFailure(_ error: CurlError, proxy: ProxyRoute, timeout: Duration) -> ProxyError {
        if error.kind == .timeout { return .upstreamTimeout(seconds: timeout.seconds) }
        let detail = error.message + Self.systemCause(of: error)
        if case .through(let chained) = proxy, chained.caused(error) {
            // 407 is squid's and most proxies' answer to missing or wrong credentials.
            let hint = error.proxyStatus == 407 ? " (check the proxy user and password)" : ""
            return .upstreamUnreachable("the chained proxy \(chained.address) refused: \(detail)\(hint)")
        }
        if error.untrustedCertificate {
            return .upstreamUnreachable("\(detail) (is the upstream's CA in the route's tls.trustStore?)")
        }
        return .upstreamUnreachable(detail)
    }

    /// The system's word for a connection that did not come up, which curl's message leaves out
    /// ("Couldn't connect to server"), e.g. ` (Connection refused)`.
    private static func systemCause(of error: CurlError) -> String {
        guard error.kind == .connect, error.osErrno != 0 else { return "" }
        return " (\(String(cString: strerror(error.osErrno))))"
    }
}
