// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct CurlHeaderLinesTests {
    /// The lines as curl reads them: split at each NUL.
    private func lines(_ list: CurlHeaderLines) -> [String] {
        list.text.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    @Test func fieldsBecomeNameColonValueEachEndingInNUL() {
        var list = CurlHeaderLines(lines: 0, bytes: 0)
        list.append(name: "Accept", value: "text/plain")
        list.append(name: "Authorization", prefix: "Bearer ", value: "abc")
        #expect(list.count == 2)
        #expect(lines(list) == ["Accept: text/plain", "Authorization: Bearer abc"])
        #expect(list.text.last == 0)
    }

    @Test func obsTextInAValueIsSentByteForByte() {
        var list = CurlHeaderLines(lines: 0, bytes: 0)
        list.append(name: "X-Raw", value: "\u{E9}\u{FF}")
        #expect(list.text == Array("X-Raw: ".utf8) + [0xE9, 0xFF, 0])
    }

    @Test func anEmptyValueIsSentEmptyAndASuppressionDropsCurlsOwnHeader() {
        var list = CurlHeaderLines(lines: 0, bytes: 0)
        list.append(name: "X-Empty", value: "")
        list.suppress("Expect")
        #expect(list.count == 2)
        #expect(lines(list) == ["X-Empty;", "Expect:"])
    }

    @Test func aNULInsideAValueDoesNotStartAnotherLine() {
        var list = CurlHeaderLines(lines: 0, bytes: 0)
        list.append(name: "X-Odd", value: "a\u{0}X-Injected: 1")
        list.suppress("Expect")
        #expect(list.lineStarts == [0, list.text.count - "Expect:".utf8.count - 1])
    }
}
