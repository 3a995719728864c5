// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `tls.keyStore` on the wire: nginx (`ssl_verify_client on`) accepts only clients whose
/// certificate the test's CA issued, for both the upstream and the token endpoint.
@Suite("TLS: client certificates")
struct TLSClientCertificateTests {
    @Test(arguments: TestPKI.StoreFormat.allCases)
    func keyStoreIsPresentedToUpstreamAndTokenEndpoint(format: TestPKI.StoreFormat) async throws {
        let pki = try await TestPKI.shared()
        let deployment = try await TLSDeployment(
            trustStore: pki.trustStore(.pem), keyStore: pki.keyStore(format), requiringClientCertificate: true,
            tokenSource: .authorizationServerOverHTTPS)

        let response = try await deployment.get("/mtls")

        #expect(response.status == 200, "\(response.text)\n\(deployment.proxyOutput)")
        let issued = try deployment.issuedTokens()
        let report = try EchoReport(response: response)
        #expect(report.header("Authorization").map { issued.map { "Bearer \($0)" }.contains($0) } == true)
        let upstreamVerification = try await deployment.upstream.configuration.clientVerifications()
        #expect(upstreamVerification.first?.verification == "SUCCESS")
        #expect(upstreamVerification.first?.subject == TestPKI.clientSubject)
        let tokenEndpoint = try #require(deployment.authorizationServer).terminator.configuration
        let tokenVerification = try await tokenEndpoint.clientVerifications()
        #expect(tokenVerification.first?.verification == "SUCCESS")
        #expect(tokenVerification.first?.request.hasPrefix("POST /token ") == true)
        #expect(try deployment.leakedSecrets().isEmpty)
    }

    /// nginx completes the handshake without a client certificate and refuses at the HTTP level,
    /// so the proxy has an upstream response to pass on: the client gets nginx's `400`, not a `502`.
    @Test func withoutKeyStoreNginxRefusesTheRequestAndTheClientGetsItsAnswer() async throws {
        let pki = try await TestPKI.shared()
        let deployment = try await TLSDeployment(
            trustStore: pki.trustStore(.jks), requiringClientCertificate: true, tokenSource: .staticToken)

        let response = try await deployment.get("/mtls")

        #expect(response.status == 400)
        #expect(response.text.contains("No required SSL certificate was sent"), "\(response.text)")
        #expect(try deployment.upstream.requestCounts().isEmpty, "nginx did not forward the request")
        let verification = try await deployment.upstream.configuration.clientVerifications()
        #expect(verification.first?.verification == "NONE")
        #expect(deployment.upstream.configuration.errorLogText().contains("client sent no required SSL certificate"))
        let logLine = try await deployment.proxyLogLine { $0.contains("status=400") }
        #expect(logLine.contains("tries=1"), "\(deployment.proxyOutput)")
        #expect(try deployment.leakedSecrets().isEmpty)
    }
}
