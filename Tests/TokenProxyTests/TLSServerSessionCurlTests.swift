// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// The intercepting TLS server against curl, over a loopback socket.
@Suite struct TLSServerSessionCurlTests {
    private let interception: Interception
    private let caFile: String

    init() throws {
        interception = try Interception.load(
            InterceptSettings(authority: .init(keyStore: try KeyStoreFixtures.path("ca-identity.pem"))))
        caFile = try KeyStoreFixtures.path("ca.crt")
    }

    private func curl(_ options: String, port: Int) throws -> Shell.Output {
        try Shell.run(
            "curl -sS --max-time 20 --resolve api.example.test:\(port):127.0.0.1 \(options) "
                + "-w ' %{http_version} %{ssl_verify_result}' https://api.example.test:\(port)/")
    }

    @Test func curlTrustingTheCAGetsTheResponseOverHTTP11() throws {
        let server = try OneShotTLSServer(interception: interception, host: "api.example.test")
        let result = try curl("--cacert '\(caFile)'", port: server.port)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "hello 1.1 0")
        guard case .success(.completed(let established))? = server.handshake() else {
            Issue.record("the handshake did not complete")
            return
        }
        #expect(established.applicationProtocol == "http/1.1")
        #expect(established.protocolVersion == "TLSv1.3")
    }

    @Test func curlWithoutTheCAFailsAndTheServerHearsUnknownCA() throws {
        let server = try OneShotTLSServer(interception: interception, host: "api.example.test")
        let result = try curl(
            "--capath /nonexistent --cacert '\(try KeyStoreFixtures.path("ca-rsa.crt"))'", port: server.port)
        #expect(result.status == 60, "\(result.output)")
        guard case .failure(let failure)? = server.handshake() else {
            Issue.record("the handshake did not fail")
            return
        }
        #expect(failure.clientAlert == "unknown_ca", "\(failure)")
    }
}
