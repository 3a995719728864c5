// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct RequestIDsTests {
    @Test func newIDsAreSixteenHexDigitsAndDistinct() {
        var ids = RequestIDs()
        let drawn = (0..<10_000).map { _ in ids.take(from: HTTPHeaders()) }
        #expect(drawn.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(drawn).count == drawn.count)
    }

    @Test func twoLoopsDrawDifferentIDs() {
        var first = RequestIDs()
        var second = RequestIDs()
        #expect(first.take(from: HTTPHeaders()) != second.take(from: HTTPHeaders()))
    }

    @Test func aSensibleClientIDIsKeptAndOthersReplaced() {
        var ids = RequestIDs()
        #expect(ids.take(from: HTTPHeaders([("x-request-id", "abc-123")])) == "abc-123")
        let spaced = ids.take(from: HTTPHeaders([("X-Request-Id", "has space")]))
        #expect(spaced != "has space" && spaced.count == 16)
        let long = ids.take(from: HTTPHeaders([("X-Request-Id", String(repeating: "a", count: 129))]))
        #expect(long.count == 16)
    }
}
