// SPDX-License-Identifier: Apache-2.0
import Testing

/// A token goes only to a host a route names, however the request spells its host: the absolute URI decides
/// over `Host`, userinfo is refused, and case and a trailing dot do not change the host.
@Suite("Hostile input: routing")
struct HostileRoutingTests {
    /// Requests for hosts no route names; each path is unique so the upstream's records can be searched for it.
    private static let refused: [(name: String, request: String)] = [
        (
            "absolute URI for another host, Host the routed one",
            "GET http://evil.test/refused/1 HTTP/1.1\r\nHost: api.test\r\n\r\n"
        ),
        ("routed host as a subdomain", "GET http://api.test.evil.test/refused/2 HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        (
            "routed host after a query mark",
            "GET http://evil.test?@api.test/refused/3 HTTP/1.1\r\nHost: api.test\r\n\r\n"
        ),
        (
            "routed host after a fragment mark",
            "GET http://evil.test#@api.test/refused/4 HTTP/1.1\r\nHost: api.test\r\n\r\n"
        ),
        (
            "routed host in the path",
            "GET http://evil.test/http://api.test/refused/5 HTTP/1.1\r\nHost: api.test\r\n\r\n"
        ),
        ("percent-encoded dot", "GET http://api%2Etest/refused/6 HTTP/1.1\r\nHost: api.test\r\n\r\n"),
        ("origin form, Host another host", "GET /refused/7 HTTP/1.1\r\nHost: evil.test\r\n\r\n"),
        ("HTTP/1.0 without a host", "GET /refused/8 HTTP/1.0\r\n\r\n"),
    ]

    @Test func hostsNoRouteNamesGet403AndNoToken() async throws {
        let stack = try await ProxyStack()
        for (name, request) in Self.refused {
            do {
                let response = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5)).exchange(raw: request)
                #expect(response.status == 403, "\(name)")
                #expect(try ProxyErrorBody(response: response).error == "no_route", "\(name)")
            } catch {
                Issue.record(error, "\(name)")
            }
        }

        #expect(try stack.upstream.requestCounts().isEmpty)
        #expect(try await stack.upstream.accessLog().isEmpty)
    }

    @Test func userinfoNamingTheRoutedHostNeverCarriesAToken() async throws {
        let stack = try await ProxyStack()
        for target in [
            "http://api.test@evil.test/refused/a", "http://evil.test@api.test/refused/b",
            "http://api.test:80@evil.test/refused/c", "http://evil.test\\@api.test/refused/d",
        ] {
            let response = try HTTPClient(port: stack.proxy.port, timeout: .seconds(5))
                .exchange(raw: "GET \(target) HTTP/1.1\r\nHost: api.test\r\n\r\n")
            #expect(response.status == 400, "\(target)")
            #expect(try ProxyErrorBody(response: response).error == "bad_request", "\(target)")
        }

        #expect(try stack.upstream.requestCounts().isEmpty)
        #expect(try await stack.upstream.accessLog().isEmpty)
    }

    @Test(arguments: [
        ("http://API.TEST/routed", "evil.test"),
        ("http://api.test./routed", "evil.test"),
        ("http://Api.Test.:8080/routed", "evil.test"),
        ("/routed", "API.Test."),
        ("/routed", "api.test.:80"),
    ])
    func caseAndTrailingDotStillRouteToTheNamedHost(target: String, host: String) async throws {
        let stack = try await ProxyStack()
        let response = try stack.client().exchange(HTTPRequest("GET", target, headers: [HTTPField("Host", host)]))

        #expect(response.status == 200)
        let token = try #require(try stack.authorizationServer.stats().issuedTokens.last?.accessToken)
        #expect(try EchoReport(response: response).header("Authorization") == "Bearer \(token)")
        #expect(try stack.upstream.requestCounts() == ["/routed": 1])
    }

    @Test func theAbsoluteURIDecidesOverHostInBothDirections() async throws {
        let stack = try await ProxyStack()
        let client = try stack.client()

        let toEvil = try client.exchange(
            HTTPRequest("GET", "http://evil.test/refused", headers: [HTTPField("Host", "api.test")]))
        let toAPI = try client.exchange(
            HTTPRequest("GET", "http://api.test/routed", headers: [HTTPField("Host", "evil.test")]))

        #expect(toEvil.status == 403)
        #expect(toAPI.status == 200)
        let entries = try await stack.upstream.accessLog(atLeast: 1)
        #expect(entries.map(\.request) == ["GET /routed HTTP/1.1"])
        #expect(entries.allSatisfy { $0.authorization.hasPrefix("Bearer ") })
    }
}
