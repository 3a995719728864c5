// SPDX-License-Identifier: Apache-2.0
import CCurl

/// Turns an `UpstreamRequest` into curl options.
/// - SeeAlso: https://curl.se/libcurl/c/easy_setopt_options.html
extension CurlEasy {
    func configure(for request: UpstreamRequest) {
        set(CURLOPT_URL, request.url)
        set(CURLOPT_PATH_AS_IS, 1)  // the path goes upstream as the client sent it, `..` and `.` included
        setMethod(request.method, body: request.body)
        setHeaderLines(Self.headerLines(for: request))
        set(CURLOPT_TIMEOUT_MS, Int(request.timeout.milliseconds))
        set(CURLOPT_HTTP_CONTENT_DECODING, 0)  // bodies pass through as the upstream encoded them
        set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)  // a chained proxy's CONNECT reply is not the response
        set(CURLOPT_TCP_NODELAY, 1)
        if request.freshConnection { set(CURLOPT_FRESH_CONNECT, 1) }
        configureHTTPVersion(request.connection.httpVersion)
        configureProxy(request.connection.proxy)
        configureTLS(request.connection.tls, proxy: request.connection.proxy)
    }

    private func setMethod(_ method: String, body: UpstreamBody?) {
        if let body {
            set(CURLOPT_POST, 1)
            switch body {
            case .bytes(let bytes):
                setBody(bytes)
            case .stream(let stream):
                // Without POSTFIELDS curl takes the body from the read callback; -1 sends it chunked (HTTP/1.1).
                setLargeSize(CURLOPT_POSTFIELDSIZE_LARGE, stream.length ?? -1)
            }
            if method != "POST" { set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "HEAD" {
            set(CURLOPT_NOBODY, 1)
        } else {
            set(CURLOPT_HTTPGET, 1)
            if method != "GET" { set(CURLOPT_CUSTOMREQUEST, method) }
        }
    }

    /// The request's headers in curl's syntax, then the ones token-proxy sets, then empty
    /// overrides that stop curl from adding headers the client did not send.
    private static func headerLines(for request: UpstreamRequest) -> CurlHeaderLines {
        let token = request.bearerToken?.revealed
        let textSize = request.headers.reduce(160 + (token?.utf8.count ?? 0)) {
            $0 + $1.name.utf8.count + $1.value.utf8.count + 3
        }
        var lines = CurlHeaderLines(lines: request.headers.count + 5, bytes: textSize)
        var sentAccept = false
        var sentContentType = false
        for (name, value) in request.headers {
            lines.append(name: name, value: value)
            sentAccept = sentAccept || name.caseInsensitiveEquals("Accept")
            sentContentType = sentContentType || name.caseInsensitiveEquals("Content-Type")
        }
        if let requestID = request.requestID { lines.append(name: RequestIDs.header, value: requestID) }
        if let token { lines.append(name: "Authorization", prefix: "Bearer ", value: token) }
        lines.suppress("Expect")
        if !sentAccept { lines.suppress("Accept") }
        if !sentContentType { lines.suppress("Content-Type") }
        return lines
    }

    private func configureHTTPVersion(_ version: UpstreamHTTPVersion) {
        switch version {
        case .http2:
            // HTTP/2 over TLS via ALPN only; plain http:// stays HTTP/1.1 without an Upgrade attempt.
            set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        case .http1_1:
            set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        }
    }

    private func configureProxy(_ route: ProxyRoute) {
        switch route {
        case .direct:
            set(CURLOPT_PROXY, "")
            set(CURLOPT_NOPROXY, "*")
        case .through(let proxy):
            set(CURLOPT_PROXY, proxy.url)
            // NO_PROXY was applied when the route was made; curl must not apply the environment's again.
            set(CURLOPT_NOPROXY, "")
            if let user = proxy.user {
                set(CURLOPT_PROXYAUTH, ccurl_auth_basic)
                set(CURLOPT_PROXYUSERNAME, user)
                set(CURLOPT_PROXYPASSWORD, proxy.password?.revealed ?? "")
            }
        }
    }

    private func configureTLS(_ material: TLSMaterial?, proxy: ProxyRoute) {
        if let trustStore = material?.trustStore {
            if case .through(let chained) = proxy, chained.url.lowercased().hasPrefix("https:") {
                // curl would call the SSL context callback for the proxy's own TLS too: the bundle itself then.
                trustStore.pemBundle.withUnsafeBytes { set(CURLOPT_CAINFO_BLOB, blob: $0) }
            } else {
                trustStore.identityPEM.withUnsafeBytes { set(CURLOPT_CAINFO_BLOB, blob: $0) }
                verifyPeers(against: trustStore.anchors)
            }
            // The blob replaces CAINFO but not CAPATH, which Debian's curl points at the system roots.
            set(CURLOPT_CAPATH, pointer: nil)
        }
        if let identity = material?.clientIdentity {
            identity.certificateChainPEM.withUnsafeBytes { set(CURLOPT_SSLCERT_BLOB, blob: $0) }
            set(CURLOPT_SSLCERTTYPE, "PEM")
            identity.privateKeyPEM.withUnsafeBytes { set(CURLOPT_SSLKEY_BLOB, blob: $0) }
            set(CURLOPT_SSLKEYTYPE, "PEM")
        }
    }
}
