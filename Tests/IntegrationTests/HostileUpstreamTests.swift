// SPDX-License-Identifier: Apache-2.0
import Testing

/// An upstream or token endpoint that fails mid-way: the client gets the contract's error or a connection that
/// ends at once, never a body that looks complete, and the proxy goes on serving.
@Suite("Hostile peers: upstream and token endpoint faults")
struct HostileUpstreamTests {
    @Test func resetBeforeTheResponseHeadGets502() async throws {
        let stack = try await FaultStack()
        let response = try stack.send("/reset-before-headers")

        #expect(response.status == 502)
        #expect(try ProxyErrorBody(response: response).error == "upstream_unreachable")
        #expect(try stack.send("/after").status == 200)
    }

    /// The head has gone out with the upstream's Content-Length or as chunked; then the upstream fails.
    @Test(arguments: ["/reset-mid-body", "/close-mid-body", "/reset-mid-chunked"])
    func failureMidBodyEndsTheClientConnectionWithoutACompleteLookingBody(path: String) async throws {
        let stack = try await FaultStack()
        // The read timeout is the bound on "at once": the proxy must not hold the connection open.
        let client = try stack.client(timeout: .seconds(5))
        try client.send(HTTPRequest("GET", "http://\(FaultStack.host)\(path)"))

        do {
            let response = try client.readResponse()
            Issue.record("a complete-looking \(response.status) response with \(response.body.count) body bytes")
        } catch HarnessError.truncatedResponse(let received) {
            #expect(received < 100_000)
        }
        #expect(try stack.send("/after").status == 200)
    }

    @Test(arguments: [FaultServer.TokenMode.garbage, .html, .noToken, .hang])
    func aBrokenTokenEndpointGets502WithinTheTimeoutAndTheNextRequestTriesAgain(mode: FaultServer.TokenMode)
        async throws
    {
        let stack = try await FaultStack(tokenMode: mode)
        // A hanging endpoint costs at most connectionTimeout, and the request may have joined a start-up fetch
        // begun a moment earlier; three times the timeout bounds both with room for a loaded machine.
        let client = try stack.client(timeout: .seconds(3 * FaultStack.connectionTimeout))
        let failed = try client.exchange(HTTPRequest("GET", "http://\(FaultStack.host)/first"))

        #expect(failed.status == 502)
        #expect(try ProxyErrorBody(response: failed).error == "token_unavailable")
        #expect(try stack.server.stats().byPath["/first"] == nil)

        try stack.server.setTokenMode(.ok)
        let tokenRequestsBefore = try stack.server.stats().tokenRequests
        // Requests fail at once until the backed-off retry (about 1 s after the failure) reaches the fixed endpoint.
        var recovered: HTTPResponse?
        _ = try await eventually {
            recovered = try stack.send("/second")
            return recovered?.status == 200
        }

        #expect(recovered?.status == 200)
        let stats = try stack.server.stats()
        #expect(stats.tokenRequests > tokenRequestsBefore)
        #expect(stats.authorizations.count == 1)
        #expect(stats.authorizations.first??.hasPrefix("Bearer ") == true)
    }

    @Test func clientsLeavingMidResponseDoNotBringTheProxyDown() async throws {
        let stack = try await ProxyStack()
        for _ in 0..<30 {
            // A proxy that has crashed refuses the connection.
            guard let socket = try? LoopbackSocket.connect(port: stack.proxy.port, timeout: .seconds(10)) else { break }
            try? socket.send(
                Array("GET http://\(ProxyStack.host)/bytes/4000000 HTTP/1.1\r\nHost: api.test\r\n\r\n".utf8))
            _ = try? socket.receive()
            // Released with the body unread: the kernel answers the proxy's next write with a reset.
        }

        let exit = stack.proxy.process.waitForExit(timeout: .seconds(1))
        #expect(
            exit == nil,
            "token-proxy ended with \(exit.map(String.init(describing:)) ?? ""): \(stack.proxy.process.errorOutput().prefix(3000))"
        )
        #expect(try stack.send("/after").status == 200)
    }
}
