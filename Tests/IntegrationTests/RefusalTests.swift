// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// Requests token-proxy answers itself, without going upstream.
@Suite("Refused requests")
struct RefusalTests {
    private func error(of response: HTTPResponse) throws -> [String: String] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
    }

    @Test(arguments: ["http://evil.test/steal", "http://api.test.evil.test/x", "http://127.0.0.1/x"])
    func hostsNoRouteNamesGet403AndNothingGoesUpstream(target: String) async throws {
        let stack = try await ProxyStack()
        let response = try stack.client().exchange(HTTPRequest("GET", target))

        #expect(response.status == 403)
        #expect(response.header("Content-Type") == "application/json")
        #expect(try error(of: response)["error"] == "no_route")
        #expect(try stack.upstream.requestCounts().isEmpty)
    }

    @Test func connectIsRefusedWith405() async throws {
        let stack = try await ProxyStack()
        let response = try stack.client().exchange(
            HTTPRequest("CONNECT", "api.test:443", headers: [HTTPField("Host", "api.test:443")]))

        #expect(response.status == 405)
        #expect(try error(of: response)["error"] == "connect_not_supported")
        #expect(try error(of: response)["message"]?.contains("http://") == true)
    }

    @Test func malformedRequestGets400() async throws {
        let stack = try await ProxyStack()
        let client = try stack.client()
        try client.send(
            "GET http://api.test/x HTTP/1.1\r\nHost: api.test\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        let response = try client.readResponse()

        #expect(response.status == 400)
        #expect(try error(of: response)["error"] == "bad_request")
        #expect(try client.serverCloses())
        #expect(try stack.upstream.requestCounts().isEmpty)
    }
}
