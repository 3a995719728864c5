// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

@Suite struct ClientAccessTests {
    private static func peer(_ address: String) throws -> ClientPeer {
        .ip(try #require(IPAddress(parsing: address)), port: 40000)
    }

    private static func head(proxyAuthorization: [String] = []) -> RequestHead {
        RequestHead(
            method: "GET", target: "http://api.test/x", version: .http1_1,
            headers: HTTPHeaders([("Host", "api.test")] + proxyAuthorization.map { ("Proxy-Authorization", $0) }))
    }

    private static func basic(_ credentials: String) -> String {
        "Basic " + Data(credentials.utf8).base64EncodedString()
    }

    private static func refusal(
        _ access: ClientAccess, _ head: RequestHead, from peer: ClientPeer
    ) -> ProxyError? {
        do {
            try access.check(head, from: peer)
            return nil
        } catch {
            return error
        }
    }

    @Test func networksMatchByPrefix() throws {
        let network = try IPNetwork(parsing: "10.1.2.3/16")
        #expect(network.description == "10.1.0.0/16")
        #expect(network.contains(try #require(IPAddress(parsing: "10.1.255.7"))))
        #expect(!network.contains(try #require(IPAddress(parsing: "10.2.0.1"))))
        let odd = try IPNetwork(parsing: "192.168.0.0/23")
        #expect(odd.contains(try #require(IPAddress(parsing: "192.168.1.200"))))
        #expect(!odd.contains(try #require(IPAddress(parsing: "192.168.2.1"))))
        let v6 = try IPNetwork(parsing: "fd00::/8")
        #expect(v6.contains(try #require(IPAddress(parsing: "fd12:3456::1"))))
        #expect(!v6.contains(try #require(IPAddress(parsing: "fe80::1"))))
        #expect(try IPNetwork(parsing: "::1").description == "::1/128")
        #expect(try IPNetwork(parsing: "0.0.0.0/0").contains(try #require(IPAddress(parsing: "203.0.113.9"))))
    }

    @Test func anIPv4NetworkCoversIPv4MappedPeers() throws {
        let mapped = try #require(IPAddress(parsing: "::ffff:10.0.0.5"))
        #expect(mapped.isIPv4)
        #expect(try IPNetwork(parsing: "10.0.0.0/8").contains(mapped))
        #expect(!(try IPNetwork(parsing: "::/0").contains(mapped)))
    }

    @Test func malformedNetworksAreRejected() {
        #expect(throws: IPNetwork.ParseError.notAnAddress) { try IPNetwork(parsing: "10.0.0/8") }
        #expect(throws: IPNetwork.ParseError.notAnAddress) { try IPNetwork(parsing: "localhost") }
        #expect(throws: IPNetwork.ParseError.prefixOutOfRange(maximum: 32)) { try IPNetwork(parsing: "10.0.0.0/33") }
        #expect(throws: IPNetwork.ParseError.prefixOutOfRange(maximum: 128)) { try IPNetwork(parsing: "::/129") }
        #expect(throws: IPNetwork.ParseError.prefixOutOfRange(maximum: 32)) { try IPNetwork(parsing: "10.0.0.0/") }
        #expect(throws: IPNetwork.ParseError.prefixOutOfRange(maximum: 32)) { try IPNetwork(parsing: "10.0.0.0/+8") }
    }

    @Test func theDefaultServesLoopbackOnly() throws {
        let access = ClientAccess(ClientsSettings())
        #expect(Self.refusal(access, Self.head(), from: try Self.peer("127.0.0.1")) == nil)
        #expect(Self.refusal(access, Self.head(), from: try Self.peer("127.9.8.7")) == nil)
        #expect(Self.refusal(access, Self.head(), from: try Self.peer("::1")) == nil)
        #expect(Self.refusal(access, Self.head(), from: try Self.peer("10.0.0.1")) == .clientNotAllowed)
        #expect(Self.refusal(access, Self.head(), from: try Self.peer("::2")) == .clientNotAllowed)
        #expect(Self.refusal(access, Self.head(), from: .unknown) == .clientNotAllowed)
    }

    @Test func anAllowListReplacesTheDefault() throws {
        let access = ClientAccess(ClientsSettings(allow: [try IPNetwork(parsing: "127.0.0.1/32")]))
        #expect(Self.refusal(access, Self.head(), from: try Self.peer("127.0.0.1")) == nil)
        #expect(Self.refusal(access, Self.head(), from: try Self.peer("127.0.0.2")) == .clientNotAllowed)
        #expect(Self.refusal(access, Self.head(), from: try Self.peer("::1")) == .clientNotAllowed)
    }

    @Test func unixSocketPeersAreNotMatchedAgainstNetworks() {
        let access = ClientAccess(ClientsSettings(allow: []))
        #expect(Self.refusal(access, Self.head(), from: .unixSocket(uid: 1000, gid: 1000)) == nil)
    }

    @Test func credentialsMustBePresentedInBasic() throws {
        let access = ClientAccess(
            ClientsSettings(credentials: ProxyCredentials(user: "app", password: Secret("pa:ss wörd"))))
        let local = try Self.peer("127.0.0.1")
        #expect(Self.refusal(access, Self.head(), from: local) == .proxyAuthenticationRequired)
        #expect(
            Self.refusal(access, Self.head(proxyAuthorization: [Self.basic("app:pa:ss wörd")]), from: local) == nil)
        let lowerCaseScheme = "basic " + Data("app:pa:ss wörd".utf8).base64EncodedString()
        #expect(Self.refusal(access, Self.head(proxyAuthorization: [lowerCaseScheme]), from: local) == nil)
        for wrong in [
            Self.basic("app:pa:ss"), Self.basic("app:pa:ss wörd!"), Self.basic("App:pa:ss wörd"), "Basic !!!",
            "Bearer " + Data("app:pa:ss wörd".utf8).base64EncodedString(), "Basic",
        ] {
            #expect(
                Self.refusal(access, Self.head(proxyAuthorization: [wrong]), from: local)
                    == .proxyAuthenticationRequired, "\(wrong)")
        }
        let twice = [Self.basic("app:pa:ss wörd"), Self.basic("app:pa:ss wörd")]
        #expect(Self.refusal(access, Self.head(proxyAuthorization: twice), from: local) == .proxyAuthenticationRequired)
        #expect(
            Self.refusal(access, Self.head(), from: .unixSocket(uid: 0, gid: 0)) == .proxyAuthenticationRequired)
    }

    @Test func aPeerOutsideTheNetworksIsRefusedBeforeItsCredentialsCount() throws {
        let access = ClientAccess(
            ClientsSettings(
                allow: [try IPNetwork(parsing: "10.0.0.0/8")],
                credentials: ProxyCredentials(user: "app", password: Secret("secret"))))
        let head = Self.head(proxyAuthorization: [Self.basic("app:secret")])
        #expect(Self.refusal(access, head, from: try Self.peer("192.0.2.1")) == .clientNotAllowed)
        #expect(Self.refusal(access, head, from: try Self.peer("10.9.9.9")) == nil)
    }

    @Test func constantTimeComparisonComparesWholeValues() {
        let expected = Array("app:secret".utf8)
        #expect(ClientAccess.constantTimeEqual(expected, expected))
        #expect(!ClientAccess.constantTimeEqual(Array("app:secreT".utf8), expected))
        #expect(!ClientAccess.constantTimeEqual(Array("app:secretapp:secret".utf8), expected))
        #expect(!ClientAccess.constantTimeEqual(Array("app".utf8), expected))
        #expect(!ClientAccess.constantTimeEqual([], expected))
    }

    @Test func refusalsHaveTheContractsStatusAndHeaders() {
        #expect(ProxyError.clientNotAllowed.status == 403)
        #expect(ProxyError.clientNotAllowed.code == "client_not_allowed")
        #expect(!ProxyError.clientNotAllowed.keepsConnection)
        #expect(ProxyError.proxyAuthenticationRequired.status == 407)
        #expect(ProxyError.proxyAuthenticationRequired.code == "proxy_authentication_required")
        #expect(ProxyError.proxyAuthenticationRequired.keepsConnection)
        #expect(
            ProxyError.proxyAuthenticationRequired.responseFields.map { "\($0.name): \($0.value)" } == [
                "Proxy-Authenticate: Basic realm=\"token-proxy\""
            ])
    }
}
