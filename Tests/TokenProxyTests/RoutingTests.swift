// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct RequestTargetTests {
    private func head(_ target: String, host: String? = nil) -> RequestHead {
        RequestHead(
            method: "GET", target: target, version: .http1_1, headers: HTTPHeaders(host.map { [("Host", $0)] } ?? []))
    }

    @Test func absoluteFormTakesHostFromTheURI() throws {
        let target = try RequestTarget(head: head("http://API.Example.com.:8080/v1/x?a=b", host: "other.test"))
        #expect(target == RequestTarget(host: "api.example.com", port: 8080, pathAndQuery: "/v1/x?a=b"))
    }

    @Test func absoluteFormWithoutPathGetsSlash() throws {
        #expect(try RequestTarget(head: head("http://api.test")).pathAndQuery == "/")
        #expect(try RequestTarget(head: head("http://api.test?q=1")).pathAndQuery == "/?q=1")
    }

    @Test func originFormTakesHostHeader() throws {
        let target = try RequestTarget(head: head("/v1/x", host: "[::1]:9000"))
        #expect(target == RequestTarget(host: "::1", port: 9000, pathAndQuery: "/v1/x"))
    }

    @Test(arguments: [
        "https://api.test/", "ftp://api.test/", "http://user@api.test/", "http://api.test:99999/", "*", "api.test:443",
        "http:///path",
    ])
    func rejectsTargetsItCannotRouteSafely(_ raw: String) {
        #expect(throws: ProxyError.self) { try RequestTarget(head: head(raw)) }
    }
}

@Suite struct RouteTableTests {
    private let upstream = UpstreamURL(scheme: .https, host: "up.test")

    private func route(_ name: String, _ hosts: [HostPattern]) -> RouteConfiguration {
        RouteConfiguration(name: name, hosts: hosts, upstream: upstream)
    }

    @Test func exactPortBeatsAnyPortBeatsDefault() {
        let table = RouteTable(routes: [
            route("any", [HostPattern(host: "api.test")]),
            route("port", [HostPattern(host: "api.test", port: 8443)]),
            route("default", []),
        ])
        #expect(table.routeIndex(for: RequestTarget(host: "api.test", port: 8443, pathAndQuery: "/")) == 1)
        #expect(table.routeIndex(for: RequestTarget(host: "api.test", port: 9000, pathAndQuery: "/")) == 0)
        #expect(table.routeIndex(for: RequestTarget(host: "other.test", port: nil, pathAndQuery: "/")) == 2)
        #expect(table.routeIndex(for: RequestTarget(host: nil, port: nil, pathAndQuery: "/")) == 2)
    }

    @Test func portPatternMatchesDefaultPortOnlyWhenItIs80() {
        let table = RouteTable(routes: [route("p", [HostPattern(host: "api.test", port: 80)])])
        #expect(table.routeIndex(for: RequestTarget(host: "api.test", port: nil, pathAndQuery: "/")) == 0)
        #expect(table.routeIndex(for: RequestTarget(host: "api.test", port: 81, pathAndQuery: "/")) == nil)
    }

    @Test func withoutDefaultRouteUnknownHostsHaveNoRoute() {
        let table = RouteTable(routes: [route("a", [HostPattern(host: "api.test")])])
        #expect(table.routeIndex(for: RequestTarget(host: "evil.test", port: nil, pathAndQuery: "/")) == nil)
    }
}
