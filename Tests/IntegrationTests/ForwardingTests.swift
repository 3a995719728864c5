// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc
import Testing

/// The core path on the wire: token injected, request and response passed through intact.
@Suite("Forwarding through token-proxy")
struct ForwardingTests {
    @Test func tokenIsInjectedAndTheClientsAuthorizationReplaced() async throws {
        let stack = try await ProxyStack()
        let response = try stack.send("/v1/items?limit=2", headers: [HTTPField("Authorization", "Basic c29tZTp1c2Vy")])

        #expect(response.status == 200)
        let report = try EchoReport(response: response)
        #expect(report.path == "/v1/items" && report.query == "limit=2")
        let authorization = try #require(report.values(of: "Authorization").first)
        #expect(report.values(of: "Authorization").count == 1)
        #expect(authorization.hasPrefix("Bearer "))
        #expect(try stack.authorizationServer.isActive(String(authorization.dropFirst("Bearer ".count))))
        #expect(report.header("Host") == "127.0.0.1:\(stack.upstream.port)")
    }

    @Test func originFormRequestsUseTheHostHeader() async throws {
        let stack = try await ProxyStack()
        let request = HTTPRequest("GET", "/v1/origin", headers: [HTTPField("Host", ProxyStack.host)])
        let response = try stack.client().exchange(request)

        #expect(response.status == 200)
        #expect(try EchoReport(response: response).header("Authorization")?.hasPrefix("Bearer ") == true)
    }

    @Test func hopByHopHeadersStayBehindAndOthersPass() async throws {
        let stack = try await ProxyStack()
        let response = try stack.send(
            "/h",
            headers: [
                HTTPField("Connection", "X-Private"), HTTPField("X-Private", "hop"),
                HTTPField("Proxy-Authorization", "Basic eA=="),
                HTTPField("Keep-Alive", "timeout=5"), HTTPField("X-Custom", "kept"), HTTPField("X-Empty", ""),
            ])

        let report = try EchoReport(response: response)
        #expect(report.header("X-Custom") == "kept")
        #expect(report.header("X-Empty") == "")
        for dropped in ["X-Private", "Proxy-Authorization", "Keep-Alive"] {
            #expect(report.header(dropped) == nil, "\(dropped) was forwarded")
        }
    }

    @Test func requestIDsReachTheUpstreamAndTheLog() async throws {
        let stack = try await ProxyStack()
        let sent = try EchoReport(response: stack.send("/id", headers: [HTTPField("X-Request-Id", "app-chosen-42")]))
        let made = try EchoReport(response: stack.send("/id"))

        #expect(sent.values(of: "X-Request-Id") == ["app-chosen-42"])
        let generated = try #require(made.header("X-Request-Id"))
        #expect(generated.count == 16 && generated.allSatisfy(\.isHexDigit))
        // Each request came on its own connection, perhaps served by different loops: lines may come in either order.
        let log = try await stack.proxy.requestLog(atLeast: 2)
        #expect(Set(log.compactMap { $0.fields["request.id"] }) == ["app-chosen-42", generated])
    }

    @Test func postBodyArrivesIntact() async throws {
        let stack = try await ProxyStack()
        let body = Array((0..<300_000).map { UInt8($0 % 256) })
        let response = try stack.send(
            "/upload", method: "POST", headers: [HTTPField("Content-Type", "application/octet-stream")],
            body: .bytes(body))

        let report = try EchoReport(response: response)
        #expect(report.method == "POST")
        #expect(report.bodyLength == body.count)
        #expect(report.bodySha256 == SHA256.hex(body))
        #expect(report.header("Content-Type") == "application/octet-stream")
    }

    @Test func chunkedUploadArrivesIntact() async throws {
        let stack = try await ProxyStack()
        let chunks = (0..<20).map { index in Array(repeating: UInt8(65 + index), count: 1000 + index) }
        let response = try stack.send("/upload", method: "PUT", body: .chunked(chunks))

        let report = try EchoReport(response: response)
        #expect(report.method == "PUT")
        #expect(report.bodySha256 == SHA256.hex(chunks.flatMap { $0 }))
        // The body streams: its length is not known when it starts, so it goes on chunked.
        #expect(report.header("Transfer-Encoding") == "chunked")
    }

    @Test func expectContinueGetsTheInterimResponseFirst() async throws {
        let stack = try await ProxyStack()
        let client = try stack.client()
        let body = Array("expected".utf8)
        try client.sendHead(
            HTTPRequest(
                "POST", "http://\(ProxyStack.host)/continue",
                headers: [HTTPField("Expect", "100-continue")], body: .bytes(body)))
        #expect(try client.readResponse(method: "POST").status == 100)
        try client.send(body)
        let response = try client.readResponse(method: "POST")
        #expect(response.status == 200)
        #expect(try EchoReport(response: response).bodySha256 == SHA256.hex(body))
    }

    @Test(arguments: [false, true])
    func twentyMegabyteResponseArrivesIntact(chunked: Bool) async throws {
        let stack = try await ProxyStack()
        let response = try stack.send("/bytes/20000000\(chunked ? "?chunked=1" : "")")

        #expect(response.status == 200)
        #expect(response.body.count == 20_000_000)
        #expect(BytePattern.matches(response.body))
    }

    @Test func keepAliveConnectionsAreReusedOnBothSides() async throws {
        let stack = try await ProxyStack()
        let client = try stack.client()
        let reports = try (0..<3).map { index in
            try EchoReport(response: client.exchange(HTTPRequest("GET", "http://\(ProxyStack.host)/keep/\(index)")))
        }

        #expect(reports.map(\.path) == ["/keep/0", "/keep/1", "/keep/2"])
        #expect(Set(reports.compactMap(\.nginxConnection)).count == 1, "curl opened a new upstream connection")
    }

    @Test func http10ClientIsAnsweredAndTheConnectionCloses() async throws {
        let stack = try await ProxyStack()
        let client = try stack.client()
        let response = try client.exchange(HTTPRequest("GET", "http://\(ProxyStack.host)/old", version: "HTTP/1.0"))

        #expect(response.status == 200)
        #expect(try EchoReport(response: response).path == "/old")
        #expect(try client.serverCloses())
    }

    @Test func slowClientKeepsTheProxysMemoryBounded() async throws {
        let stack = try await ProxyStack()
        let client = try stack.client()
        try client.send(HTTPRequest("GET", "http://\(ProxyStack.host)/bytes/100000000"))
        let before = try ProcessMemory.residentBytes(of: stack.proxy.process.pid)
        // The client reads nothing for a while; without backpressure the proxy would buffer the 100 MB meanwhile.
        var peak = before
        for _ in 0..<30 {
            try await Task.sleep(for: .milliseconds(50))
            peak = max(peak, try ProcessMemory.residentBytes(of: stack.proxy.process.pid))
        }
        let response = try client.readResponse()

        #expect(peak - before < 16 << 20, "RSS grew by \((peak - before) >> 20) MiB while the client did not read")
        #expect(response.body.count == 100_000_000)
        #expect(BytePattern.matches(response.body))
    }
}

/// Clients that vanish mid-response must cost the proxy nothing but that response.
@Suite("Clients that leave early")
struct EarlyLeaverTests {
    @Test func clientsLeavingMidResponseLeaveTheProxyServingAndDrainable() async throws {
        let stack = try await ProxyStack(route: "drainTimeout: 60")
        for _ in 0..<20 {
            let socket = try LoopbackSocket.connect(port: stack.proxy.port, timeout: .seconds(10))
            try socket.send(
                Array("GET http://\(ProxyStack.host)/bytes/5000000 HTTP/1.1\r\nHost: \(ProxyStack.host)\r\n\r\n".utf8))
            #expect(try !socket.receive(limit: 4096).isEmpty)
        }  // each socket closes here, with most of its response unread

        #expect(try stack.send("/after").status == 200)
        #expect(stack.proxy.process.isRunning)
        // Every abandoned request must have ended: otherwise the drain would wait the whole 60 s.
        stack.proxy.process.send(signal: SIGTERM)
        let process = stack.proxy.process
        #expect(try await DedicatedThread.run { process.waitForExit(timeout: .seconds(30)) } == .exited(0))
        #expect(stack.proxyOutput.contains("error=client_gone"))
    }

    @Test func clientsLeavingAsTheirResponseIsWrittenLeaveTheProxyServing() async throws {
        // The whole response tends to be written at once, when the upstream's last byte arrives: a client
        // already gone makes that very write fail, after which the connection must stay closed.
        let stack = try await ProxyStack()
        let request = Array(
            "GET http://\(ProxyStack.host)/bytes/60000 HTTP/1.1\r\nHost: \(ProxyStack.host)\r\n\r\n".utf8)
        for _ in 0..<6 {
            let sockets = try (0..<40).map { _ in
                try LoopbackSocket.connect(port: stack.proxy.port, timeout: .seconds(10))
            }
            for socket in sockets { try socket.send(request) }
        }  // every socket closes here, its response unread

        // nginx and the echo service may still be shedding the storm of cut connections (slowly, on a busy
        // machine); the proxy must be alive and serve again once they have.
        #expect(stack.proxy.process.isRunning)
        var after: HTTPResponse?
        let deadline = ContinuousClock.now + .seconds(60)
        while after?.status != 200, ContinuousClock.now < deadline {
            after = try? HTTPClient(port: stack.proxy.port, timeout: .seconds(15))
                .exchange(HTTPRequest("GET", "http://\(ProxyStack.host)/after"))
            if after?.status != 200 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(after?.status == 200, "\(after.map { "\($0.status): \($0.text)" } ?? "no answer")")
        #expect(stack.proxy.process.isRunning)
    }
}
