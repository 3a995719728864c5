// SPDX-License-Identifier: Apache-2.0
import CCurl
import Glibc
import Testing

@testable import TokenProxy

/// curl failures classified from their codes, and the contract's error each one becomes.
@Suite struct UpstreamFailureTests {
    private static let squid = ProxyRoute.through(
        ChainedProxy(url: "http://u:pw@squid.corp:3128", user: nil, password: nil))
    private static let timeout = Duration.seconds(30)

    private static func failure(
        _ code: CURLcode, _ message: String = "curl's message", connectCode: Int = 0, osErrno: Int32 = 0,
        verifyResult: Int = 0
    ) -> CurlError {
        CurlError(code: code, message: message, connectCode: connectCode, osErrno: osErrno, verifyResult: verifyResult)
    }

    private static func message(_ error: CurlError, proxy: ProxyRoute = squid) -> String {
        guard case .upstreamUnreachable(let message) = ProxyError.upstreamFailure(error, proxy: proxy, timeout: timeout)
        else { return "not upstream_unreachable" }
        return message
    }

    @Test func kindsComeFromCodesNotFromTheMessage() {
        #expect(Self.failure(CURLE_COULDNT_CONNECT, "proxy CONNECT tunnel").kind == .connect)
        #expect(Self.failure(CURLE_RECV_ERROR, "Proxy CONNECT aborted").kind == .transport)
        #expect(Self.failure(CURLE_RECV_ERROR, "a message", connectCode: 407).kind == .proxy)
        #expect(Self.failure(CURLE_RECV_ERROR, connectCode: 200).kind == .transport)
        #expect(Self.failure(CURLE_COULDNT_RESOLVE_PROXY).kind == .proxy)
        #expect(Self.failure(CURLE_PROXY).kind == .proxy)
        #expect(Self.failure(CURLE_COULDNT_RESOLVE_HOST).kind == .dns)
        #expect(Self.failure(CURLE_OPERATION_TIMEDOUT).kind == .timeout)
        #expect(Self.failure(CURLE_PEER_FAILED_VERIFICATION).kind == .tls)
        #expect(Self.failure(CURLE_WRITE_ERROR).kind == .aborted)
        #expect(Self.failure(CURLE_SEND_ERROR, "certificate 407 proxy").kind == .transport)
    }

    @Test func anEmptyMessageIsCurlsTextForTheCode() {
        #expect(Self.failure(CURLE_COULDNT_RESOLVE_HOST, "").message == "Couldn't resolve host name")
    }

    @Test func aTimeoutIs504NamingTheTimeout() {
        #expect(
            ProxyError.upstreamFailure(Self.failure(CURLE_OPERATION_TIMEDOUT), proxy: .direct, timeout: Self.timeout)
                == .upstreamTimeout(seconds: 30))
    }

    @Test func aRefusedConnectAsksForTheProxyCredentialsOnlyFor407() {
        let refused = Self.failure(CURLE_RECV_ERROR, "CONNECT tunnel failed, response 407", connectCode: 407)
        #expect(
            Self.message(refused)
                == "the chained proxy squid.corp:3128 refused: CONNECT tunnel failed, response 407"
                + " (check the proxy user and password)")
        let forbidden = Self.failure(CURLE_RECV_ERROR, "CONNECT tunnel failed, response 403", connectCode: 403)
        #expect(
            Self.message(forbidden) == "the chained proxy squid.corp:3128 refused: CONNECT tunnel failed, response 403")
    }

    @Test func aPlainRequestsRefusalByTheProxyAsksForTheCredentials() {
        #expect(
            Self.message(.proxyAnswered(status: 407, reason: "Proxy Authentication Required"))
                == "the chained proxy squid.corp:3128 refused: it answered 407 Proxy Authentication Required"
                + " (check the proxy user and password)")
    }

    @Test func aRefusedConnectionIsTheProxysOnARouteThroughIt() {
        let refused = Self.failure(
            CURLE_COULDNT_CONNECT, "Failed to connect to squid.corp port 3128", osErrno: ECONNREFUSED)
        #expect(
            Self.message(refused)
                == "the chained proxy squid.corp:3128 refused: Failed to connect to squid.corp port 3128"
                + " (Connection refused)")
        #expect(
            Self.message(refused, proxy: .direct) == "Failed to connect to squid.corp port 3128 (Connection refused)")
    }

    @Test func anUntrustedCertificateAsksForTheTrustStore() {
        let untrusted = Self.failure(
            CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: unable to get local issuer certificate",
            verifyResult: 20)
        #expect(
            Self.message(untrusted, proxy: .direct)
                == "SSL certificate problem: unable to get local issuer certificate"
                + " (is the upstream's CA in the route's tls.trustStore?)")
        let wrongName = Self.failure(CURLE_PEER_FAILED_VERIFICATION, "SSL: no alternative certificate subject name")
        #expect(Self.message(wrongName, proxy: .direct) == "SSL: no alternative certificate subject name")
        #expect(!Self.message(untrusted).contains("chained proxy"), "beyond the proxy's tunnel")
    }

    @Test func otherFailuresPassCurlsMessageOn() {
        let reset = Self.failure(CURLE_RECV_ERROR, "Recv failure: Connection reset by peer", osErrno: ECONNRESET)
        #expect(Self.message(reset) == "Recv failure: Connection reset by peer")
    }
}
