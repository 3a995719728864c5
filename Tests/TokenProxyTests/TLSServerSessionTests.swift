// SPDX-License-Identifier: Apache-2.0
import CCrypto
import CoreMetrics
import Foundation
import MetricsTestKit
import Testing

@testable import TokenProxy

/// The intercepting TLS server against an OpenSSL client in the same process, over memory buffers.
@Suite struct TLSServerSessionTests {
    private static let host = "api.example.test"

    private let interception: Interception

    init() throws {
        interception = try Interception.load(
            InterceptSettings(authority: .init(keyStore: try KeyStoreFixtures.path("ca-identity.pem"))))
    }

    private func session(for host: String = host) throws -> TLSServerSession {
        let leaf = try LeafMinter(authority: interception.authority).mint(for: try #require(LeafHost(host)))
        return try #require(interception.session(presenting: leaf))
    }

    /// Runs both handshakes to their end; the server's outcome, or its failure.
    private func handshake(
        _ client: TLSTestClient, _ server: TLSServerSession
    ) -> Result<TLSServerSession.Handshake, TLSHandshakeFailure> {
        var outcome: Result<TLSServerSession.Handshake, TLSHandshakeFailure> = .success(.needsInput)
        for _ in 0..<10 {
            _ = client.handshake()
            let sent = client.send(to: server)
            outcome = Result { () throws(TLSHandshakeFailure) in try server.handshake() }
            let received = client.receive(from: server)
            if case .success(.completed) = outcome, sent == 0, received == 0 { break }
            if case .failure = outcome {
                _ = client.handshake()
                break
            }
        }
        return outcome
    }

    @Test func tls13WithHTTP11NegotiatedAndPlaintextBothWays() throws {
        let server = try session()
        let client = TLSTestClient(
            anchor: interception.authority.certificate, host: Self.host, applicationProtocols: ["h2", "http/1.1"])

        let outcome = handshake(client, server)
        #expect(outcome == .success(.completed(.init(protocolVersion: "TLSv1.3", applicationProtocol: "http/1.1"))))
        #expect(client.handshake() == TP_TLS_OK)

        #expect(client.write("GET / HTTP/1.1\r\nHost: api.example.test\r\n\r\n") == TP_TLS_OK)
        client.send(to: server)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let read = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
        guard case .plaintext(let count) = read else { throw Unexpected(read) }
        #expect(
            String(decoding: buffer.prefix(count), as: UTF8.self) == "GET / HTTP/1.1\r\nHost: api.example.test\r\n\r\n")
        #expect(try buffer.withUnsafeMutableBytes { try server.read(into: $0) } == .needsInput)

        try Array("HTTP/1.1 200 OK\r\n\r\n".utf8).withUnsafeBytes { try server.write($0) }
        #expect(server.pendingOutput > 0)
        client.receive(from: server)
        #expect(client.read().text == "HTTP/1.1 200 OK\r\n\r\n")

        client.shutdown()
        client.send(to: server)
        #expect(try buffer.withUnsafeMutableBytes { try server.read(into: $0) } == .closed)
        server.shutdown()
        client.receive(from: server)
        #expect(client.read().status == TP_TLS_CLOSED, "the server's close_notify arrived")
    }

    @Test func tls12IsAcceptedAndALPNIsOptional() throws {
        let server = try session()
        let client = TLSTestClient(
            anchor: interception.authority.certificate, host: Self.host, highestVersion: TLS1_2_VERSION)
        #expect(
            handshake(client, server)
                == .success(.completed(.init(protocolVersion: "TLSv1.2", applicationProtocol: nil))))
    }

    @Test func h2AloneIsNotAgreed() throws {
        let server = try session()
        let client = TLSTestClient(
            anchor: interception.authority.certificate, host: Self.host, applicationProtocols: ["h2"])
        #expect(
            handshake(client, server)
                == .success(.completed(.init(protocolVersion: "TLSv1.3", applicationProtocol: nil))))
    }

    @Test func anIPAddressLeafSatisfiesAClientVerifyingTheAddress() throws {
        let server = try session(for: "[::1]")
        let client = TLSTestClient(anchor: interception.authority.certificate, host: "::1")
        guard case .success(.completed) = handshake(client, server) else { throw Unexpected("no handshake") }
        #expect(client.handshake() == TP_TLS_OK)
    }

    @Test func aClientThatDistrustsTheCAEndsWithUnknownCA() async throws {
        let metrics = TestMetrics()
        let outcome = withMetricsFactory(metrics) {
            let server = try? session()
            let client = TLSTestClient(anchor: nil, host: Self.host)
            return server.map { handshake(client, $0) }
        }
        guard case .failure(let failure)? = outcome else { throw Unexpected("\(String(describing: outcome))") }
        #expect(failure.clientAlert == "unknown_ca")
        #expect(failure.label == "unknown_ca")
        #expect("\(failure)".contains("does not trust the intercept CA"), "\(failure)")
        let counter = try metrics.expectCounter("token_proxy_tls_handshakes_total", [("result", "unknown_ca")])
        #expect(counter.totalValue == 1)
    }

    @Test func aClientVerifyingAnotherHostEndsWithAnAlert() throws {
        let server = try session(for: "other.example.test")
        let client = TLSTestClient(anchor: interception.authority.certificate, host: Self.host)
        guard case .failure(let failure) = handshake(client, server) else { throw Unexpected("a handshake") }
        #expect(failure.clientAlert == "bad_certificate" || failure.clientAlert == "certificate_unknown", "\(failure)")
    }

    @Test func plainHTTPIsNotAHandshake() throws {
        let server = try session()
        Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8).withUnsafeBytes { server.receive($0) }
        do {
            _ = try server.handshake()
            Issue.record("plain HTTP passed for a ClientHello")
        } catch {
            #expect(error.clientAlert == nil)
            #expect(error.reason.contains("http request") || error.reason.contains("wrong version"), "\(error)")
        }
    }

    @Test func aClientHelloArrivingByteByByteIsAnsweredOnceWhole() throws {
        let server = try session()
        let client = TLSTestClient(anchor: interception.authority.certificate, host: Self.host)
        _ = client.handshake()
        let hello = client.takeOutput()
        #expect(TunnelOpening.classify(hello) == .tlsClientHello)
        var pending: [Int] = []
        for byte in hello {
            [byte].withUnsafeBytes { server.receive($0) }
            #expect(try server.handshake() == .needsInput)
            pending.append(server.pendingOutput)
        }
        #expect(pending.dropLast().allSatisfy { $0 == 0 }, "nothing to say before the whole ClientHello")
        #expect(pending.last ?? 0 > 0, "the ServerHello once it is whole")
        client.receive(from: server)
        guard case .success(.completed) = handshake(client, server) else { throw Unexpected("no handshake") }
    }

    private struct Unexpected: Error {
        let value: String
        init(_ value: Any) { self.value = "\(value)" }
    }
}
