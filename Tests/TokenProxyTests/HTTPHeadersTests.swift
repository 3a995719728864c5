// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct HTTPHeadersTests {
    @Test func lookUpIgnoresCase() {
        let headers = HTTPHeaders([("Content-Type", "text/plain"), ("X-A", "1"), ("x-a", "2")])
        #expect(headers.first(name: "content-type") == "text/plain")
        #expect(headers.values(name: "X-a") == ["1", "2"])
    }

    @Test func tokensSplitAndLowercase() {
        let headers = HTTPHeaders([("Connection", "Close, X-Foo"), ("connection", " keep-alive ")])
        #expect(headers.tokens(name: "Connection") == ["close", "x-foo", "keep-alive"])
    }

    @Test func replaceLeavesOneField() {
        var headers = HTTPHeaders([("Authorization", "Basic a"), ("authorization", "Basic b")])
        headers.replace(name: "Authorization", value: "Bearer t")
        #expect(headers.values(name: "authorization") == ["Bearer t"])
    }

    @Test func keepAliveFollowsVersionAndConnection() {
        #expect(RequestHead(method: "GET", target: "/", version: .http1_1, headers: HTTPHeaders()).keepAlive)
        #expect(!RequestHead(method: "GET", target: "/", version: .http1_0, headers: HTTPHeaders()).keepAlive)
        let close = HTTPHeaders([("Connection", "close")])
        #expect(!RequestHead(method: "GET", target: "/", version: .http1_1, headers: close).keepAlive)
    }
}

@Suite struct HTTPHeadersListTests {
    @Test func elementsOfEveryFieldWithTheNameAreTrimmedInOrder() {
        let headers = HTTPHeaders([("Connection", "Close ,\tX-Foo"), ("connection", " keep-alive ")])
        #expect(headers.elements(inFieldsNamed: "CONNECTION") == ["Close", "X-Foo", "keep-alive"])
        #expect(headers.tokens(name: "Connection") == ["close", "x-foo", "keep-alive"])
    }

    @Test func emptyElementsAndOtherFieldsDoNotCount() {
        let headers = HTTPHeaders([("Connection", "x-foo-bar, ,"), ("X-Other", "x-foo"), ("Upgrade", "")])
        #expect(headers.elements(inFieldsNamed: "Connection") == ["x-foo-bar"])
        #expect(headers.elements(inFieldsNamed: "Upgrade").isEmpty)
        #expect(headers.elements(inFieldsNamed: "Missing").isEmpty)
    }

    @Test func endToEndDropsHopByHopAndConnectionNamedFields() {
        let headers = HTTPHeaders([
            ("Connection", "X-Secret"), ("x-secret", "1"), ("Keep-Alive", "5"), ("X-Kept", "2"), ("Host", "a"),
        ])
        #expect(headers.endToEnd(dropping: ["host"]) == HTTPHeaders([("X-Kept", "2")]))
    }
}
