// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// The echo upstream as a route reaches it: `http://`, or `https://` with
/// nginx presenting a self-signed certificate that the route trusts through
/// `tls.trustStore` (a PEM file), with HTTP/2 on offer.
struct RouteUpstream {
    enum Scheme: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case http, https

        var testDescription: String { rawValue }
    }

    let scheme: Scheme
    let echo: EchoUpstream
    private let certificate: LoopbackCertificate?

    init(_ scheme: Scheme) async throws {
        self.scheme = scheme
        certificate = scheme == .https ? try await LoopbackCertificate() : nil
        echo = try await EchoUpstream(tls: certificate?.nginxCertificates)
    }

    /// The route's `upstream`.
    var url: String {
        switch scheme {
        case .http: echo.baseURL
        case .https: echo.tlsBaseURL!
        }
    }

    /// The route keys that make token-proxy trust the upstream: `tls.trustStore` for HTTPS, nothing for HTTP.
    var tlsKeys: String {
        certificate.map { "tls: {trustStore: \"\($0.certificate.path)\"}" } ?? ""
    }

    /// How a chained proxy logs a request for `path` to this upstream: in absolute form, or as a `CONNECT` tunnel.
    func proxied(_ path: String) -> (method: String, url: String) {
        switch scheme {
        case .http: ("GET", url + path)
        case .https: ("CONNECT", String(url.dropFirst("https://".count)))
        }
    }
}
