// SPDX-License-Identifier: Apache-2.0
import Logging
import Testing

@testable import TokenProxy

@Suite struct TunnelPhaseTests {
    private func opening(_ target: String = "api.example.com:8080") throws -> TunnelPhase {
        let grant = TunnelGrant(
            authority: try TunnelAuthority(connectTarget: target), interception: nil, logger: Logger(label: "test"))
        return .opening(grant)
    }

    @Test func plainHTTPOpensAPlainTunnel() throws {
        var phase = try opening()
        guard case .serve = phase.firstBytesArrived(.plainHTTP) else {
            Issue.record("plain HTTP was not served")
            return
        }
        #expect(phase.tunnel?.mode == .tunnel)
        #expect(phase.tunnel?.defaultPort == 80)
    }

    @Test func aTunnelIsOpeningUntilItsFirstBytesSettleIt() throws {
        var phase = try opening()
        #expect(phase.isOpening)
        _ = phase.firstBytesArrived(.plainHTTP)
        #expect(!phase.isOpening)
        #expect(!TunnelPhase.none.isOpening)
    }

    @Test func tooFewBytesWait() throws {
        var phase = try opening()
        guard case .needsBytes = phase.firstBytesArrived(.needsBytes(3)) else {
            Issue.record("a decision was made on too few bytes")
            return
        }
        #expect(phase.tunnel == nil)
    }

    @Test func garbageEndsTheTunnel() throws {
        var phase = try opening()
        guard case .end(let reason) = phase.firstBytesArrived(.garbage) else {
            Issue.record("garbage did not end the tunnel")
            return
        }
        #expect(reason.contains("neither TLS nor HTTP"))
    }

    @Test func tlsWithoutInterceptionEndsTheTunnelSayingHowToEnableIt() throws {
        var phase = try opening("api.example.com:443")
        guard case .end(let reason) = phase.firstBytesArrived(.tlsClientHello) else {
            Issue.record("TLS was accepted without a CA")
            return
        }
        #expect(reason.contains("intercept.ca"))
        #expect(phase.tunnel == nil)
    }

    @Test func aLeafForATunnelNotWaitingForOneEndsIt() throws {
        var phase = try opening()
        guard
            case .end = phase.leafArrived(
                .failure(LeafMinter.Failure(host: try #require(LeafHost("api.example.com")), detail: "test")))
        else {
            Issue.record("an unexpected leaf was used")
            return
        }
    }
}

@Suite struct TunnelAuthorityTests {
    @Test func aConnectTargetNeedsHostAndPort() throws {
        let authority = try TunnelAuthority(connectTarget: "API.Example.com:8443")
        #expect(authority.host == "api.example.com" && authority.port == 8443)
        #expect(throws: ProxyError.self) { try TunnelAuthority(connectTarget: "api.example.com") }
        #expect(throws: ProxyError.self) { try TunnelAuthority(connectTarget: ":443") }
    }

    @Test func anIPv6AuthorityKeepsItsBracketsInDescriptions() throws {
        let authority = try TunnelAuthority(connectTarget: "[fd00::1]:443")
        #expect(authority.host == "fd00::1")
        #expect(authority.description == "[fd00::1]:443")
    }

    @Test func aRequestNamesTheTunnelByHostAndPortWithTheSchemesDefault() throws {
        let authority = try TunnelAuthority(connectTarget: "api.example.com:443")
        let named = RequestTarget(host: "api.example.com", port: nil, pathAndQuery: "/")
        #expect(authority.isNamed(by: named, defaultPort: 443))
        #expect(!authority.isNamed(by: named, defaultPort: 80))
        #expect(
            !authority.isNamed(by: RequestTarget(host: "evil.test", port: 443, pathAndQuery: "/"), defaultPort: 443))
    }
}
