// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

/// `Max-Forwards` (RFC 9110 7.6.2): decremented on TRACE and OPTIONS, answered here at 0.
@Suite struct MaxForwardsTests {
    private static func head(_ method: String, _ values: [String]) -> RequestHead {
        RequestHead(
            method: method, target: "http://api.test/x", version: .http1_1,
            headers: HTTPHeaders([("Host", "api.test")] + values.map { ("Max-Forwards", $0) }))
    }

    @Test(arguments: ["TRACE", "OPTIONS"])
    func zeroIsAnsweredHereAndMoreIsDecremented(method: String) {
        #expect(MaxForwards(Self.head(method, ["0"])) == .answerHere)
        #expect(MaxForwards(Self.head(method, [" 00 "])) == .answerHere)
        #expect(MaxForwards(Self.head(method, ["1"])) == .forward(remaining: 0))
        #expect(MaxForwards(Self.head(method, ["70"])) == .forward(remaining: 69))
        #expect(MaxForwards(Self.head(method, ["99999999999999999999999"])) == .forward(remaining: Int.max - 1))
    }

    @Test(arguments: [[], ["-1"], ["1.5"], ["ten"], [""], ["0", "0"], ["0x1"]])
    func anAbsentRepeatedOrMalformedFieldLeavesTheRequestAsItCame(values: [String]) {
        #expect(MaxForwards(Self.head("TRACE", values)) == .forward(remaining: nil))
    }

    @Test(arguments: ["GET", "POST", "trace", "PURGE"])
    func otherMethodsIgnoreIt(method: String) {
        #expect(MaxForwards(Self.head(method, ["0"])) == .forward(remaining: nil))
    }

    @Test func aReflectedTraceLeavesOutCredentials() {
        let head = RequestHead(
            method: "TRACE", target: "http://api.test/x?y=1", version: .http1_1,
            headers: HTTPHeaders([
                ("Host", "api.test"), ("Authorization", "Bearer app-secret"), ("cookie", "session=s"),
                ("Proxy-Authorization", "Basic cDpx"), ("X-Kept", "yes"), ("Max-Forwards", "0"),
            ]))
        let text = String(decoding: FinalRecipient.reflection(of: head), as: UTF8.self)
        #expect(
            text == "TRACE http://api.test/x?y=1 HTTP/1.1\r\nHost: api.test\r\nX-Kept: yes\r\nMax-Forwards: 0\r\n\r\n")
    }
}
