// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// What an intermediary must leave as it is (RFC 9110 and 9112): the path and query, and field
/// values with obs-text, byte for byte, to the echo service itself (no nginx in between).
@Suite("Wire fidelity")
struct WireFidelityTests {
    private static func proxy(to upstream: EchoUpstream) async throws -> SingleRouteProxy {
        try await SingleRouteProxy(upstream: "http://127.0.0.1:\(upstream.echoPort)", keys: "auth: {type: none}")
    }

    @Test func pathAndQueryArriveExactlyAsSent() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await Self.proxy(to: upstream)

        let response = try await proxy.send("/a/../b/./c?x=%2e%2E&y=a%20b")

        #expect(response.status == 200, "\(response.text)")
        let report = try EchoReport(response: response)
        #expect(report.path == "/a/../b/./c")
        #expect(report.query == "x=%2e%2E&y=a%20b")
    }

    /// An unknown method and unknown fields are forwarded (RFC 9110 9.1, 5.1); `TE` and `Upgrade` are
    /// hop-by-hop (7.6.1, 7.8); a redirect is the client's to follow, not token-proxy's.
    @Test func unknownMethodsAndFieldsPassAndRedirectsAreNotFollowed() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await Self.proxy(to: upstream)
        let client = try HTTPClient(port: proxy.process.port)

        let purge = try client.exchange(
            HTTPRequest(
                "PURGE", "http://\(SingleRouteProxy.host)/cache",
                headers: [
                    HTTPField("X-Unknown-Field", "kept"), HTTPField("TE", "trailers"), HTTPField("Upgrade", "h2c"),
                    HTTPField("Connection", "TE, Upgrade"),
                ]))
        let redirect = try client.exchange(HTTPRequest("GET", "http://\(SingleRouteProxy.host)/status/302"))

        #expect(purge.status == 200, "\(purge.text)")
        let report = try EchoReport(response: purge)
        #expect(report.method == "PURGE")
        #expect(report.header("X-Unknown-Field") == "kept")
        #expect(report.header("TE") == nil && report.header("Upgrade") == nil)
        // No transformation (RFC 9110 7.7): curl asks for no encoding of its own, so bodies stay as the upstream sends them.
        #expect(report.header("Accept-Encoding") == nil)
        #expect(redirect.status == 302)
        #expect(try EchoReport(response: redirect).path == "/status/302")
    }

    /// `TRACE` has the upstream echo the request: it goes without the token (RFC 9110 9.3.8), which the same
    /// route's other requests carry.
    @Test func traceGoesWithoutTheToken() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(
            upstream: "http://127.0.0.1:\(upstream.echoPort)", keys: "auth: {type: static, accessToken: trace-secret}")
        let client = try HTTPClient(port: proxy.process.port)

        let trace = try client.exchange(HTTPRequest("TRACE", "http://\(SingleRouteProxy.host)/echo"))
        let get = try client.exchange(HTTPRequest("GET", "http://\(SingleRouteProxy.host)/echo"))

        #expect(trace.status == 200, "\(trace.text)")
        #expect(try EchoReport(response: trace).method == "TRACE")
        #expect(try EchoReport(response: trace).header("Authorization") == nil)
        #expect(!trace.text.contains("trace-secret"))
        #expect(try EchoReport(response: get).header("Authorization") == "Bearer trace-secret")
    }

    /// `Max-Forwards` on `TRACE` and `OPTIONS` (RFC 9110 7.6.2): at `0` token-proxy answers as the final
    /// recipient and nothing reaches the upstream; above it the upstream gets the value less one.
    @Test func maxForwardsIsDecrementedAndAnsweredAtZero() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await SingleRouteProxy(
            upstream: "http://127.0.0.1:\(upstream.echoPort)", keys: "auth: {type: static, accessToken: mf-secret}")
        let client = try HTTPClient(port: proxy.process.port)
        let here = "http://\(SingleRouteProxy.host)/here"
        let there = "http://\(SingleRouteProxy.host)/there"

        let trace = try client.exchange(
            HTTPRequest(
                "TRACE", here,
                headers: [
                    HTTPField("Max-Forwards", "0"), HTTPField("Cookie", "session=app"), HTTPField("X-Kept", "yes"),
                ]
            ))
        let options = try client.exchange(HTTPRequest("OPTIONS", here, headers: [HTTPField("Max-Forwards", "0")]))
        let forwarded = try client.exchange(HTTPRequest("OPTIONS", there, headers: [HTTPField("Max-Forwards", "3")]))
        let get = try client.exchange(HTTPRequest("GET", there, headers: [HTTPField("Max-Forwards", "0")]))

        #expect(trace.status == 200, "\(trace.text)")
        #expect(trace.header("Content-Type") == "message/http")
        #expect(trace.text.hasPrefix("TRACE \(here) HTTP/1.1\r\n"), "\(trace.text)")
        #expect(trace.text.contains("\r\nX-Kept: yes\r\n"))
        #expect(!trace.text.contains("session=app") && !trace.text.contains("mf-secret"))
        #expect(options.status == 200 && options.body.isEmpty && options.header("Content-Length") == "0")
        #expect(try upstream.arrivals(of: "/here").isEmpty)
        #expect(try EchoReport(response: forwarded).header("Max-Forwards") == "2")
        #expect(try EchoReport(response: get).header("Max-Forwards") == "0")
    }

    /// An upstream's interim responses reach an HTTP/1.1 client ahead of the final one (RFC 9110 15.2), and
    /// never an HTTP/1.0 client.
    @Test func earlyHintsReachHTTP11ClientsOnly() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await Self.proxy(to: upstream)
        let target = "http://\(SingleRouteProxy.host)/early-hints/2"

        let client = try HTTPClient(port: proxy.process.port)
        try client.send(HTTPRequest("GET", target))
        let first = try client.readResponse()
        let second = try client.readResponse()
        let final = try client.readResponse()
        let old = try HTTPClient(port: proxy.process.port)
        try old.send(
            HTTPRequest("GET", target, version: "HTTP/1.0", headers: [HTTPField("Host", SingleRouteProxy.host)]))
        let oldFinal = try old.readResponse()

        let statuses = [first.status, second.status, final.status]
        #expect(statuses == [103, 103, 200])
        #expect(first.header("Link") == "</hint-0.css>; rel=preload")
        #expect(second.header("Link") == "</hint-1.css>; rel=preload")
        #expect(try EchoReport(response: final).path == "/early-hints/2")
        #expect(oldFinal.status == 200)
    }

    /// token-proxy dates its own answers, and an upstream's `Date` passes as the only one (RFC 9110 6.6.1).
    @Test func everyResponseCarriesOneDate() async throws {
        let upstream = try await EchoUpstream()
        let proxy = try await Self.proxy(to: upstream)
        let client = try HTTPClient(port: proxy.process.port)

        let refused = try client.exchange(HTTPRequest("GET", "http://unrouted.test/x"))
        let forwarded = try await proxy.send("/dated")

        #expect(refused.status == 403)
        let date = try #require(refused.header("Date"))
        #expect(date.wholeMatch(of: /[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/) != nil, "\(date)")
        #expect(forwarded.status == 200)
        #expect(forwarded.values(of: "Date").count == 1)
    }

    /// Straight to the echo service over HTTP/1.1, and through nginx over HTTP/2 (whose HPACK carries any octets).
    @Test(arguments: [false, true])
    func obsTextInFieldValuesPassesByteForByteBothWays(throughNginxOverHTTP2: Bool) async throws {
        let upstream = try await RouteUpstream(throughNginxOverHTTP2 ? .https : .http)
        let proxy = try await SingleRouteProxy(
            upstream: throughNginxOverHTTP2 ? upstream.url : "http://127.0.0.1:\(upstream.echo.echoPort)",
            keys: "auth: {type: none}\n\(upstream.tlsKeys)")
        let client = try HTTPClient(port: proxy.process.port)
        let value: [UInt8] = [0x6F, 0x6B, 0x20, 0xE9, 0xFF]

        try client.send(
            Array(
                "GET http://\(SingleRouteProxy.host)/raw?echo_header=X-Raw HTTP/1.1\r\nHost: \(SingleRouteProxy.host)\r\nX-Raw: "
                    .utf8)
                + value + Array("\r\n\r\n".utf8))
        let response = try client.readResponse()

        #expect(response.status == 200, "\(response.text)")
        // The echo service decodes header bytes as ISO-8859-1: one character per byte.
        let arrived = try #require(EchoReport(response: response).header("X-Raw"))
        #expect(arrived.unicodeScalars.map { UInt8($0.value) } == value)
        // HTTP/2 lower-cases field names (RFC 9113 8.2.2); the value is what must not change.
        let name = throughNginxOverHTTP2 ? "x-raw" : "X-Raw"
        let line = Array("\r\n\(name): ".utf8) + value + Array("\r\n".utf8)
        #expect((response.rawHead + Array("\r\n".utf8)).firstRange(of: line) != nil, "\(response.headers)")
    }
}
