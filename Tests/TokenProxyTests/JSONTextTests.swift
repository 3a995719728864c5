// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

@Suite struct JSONTextTests {
    @Test(arguments: [
        ("plain", #""plain""#), (#"say "hi" \ bye"#, #""say \"hi\" \\ bye""#), ("a\nb\r\tc", #""a\nb\r\tc""#),
        ("\u{1}\u{1f}", #""\u0001\u001f""#), ("grüße, 日本 🙂", "\"grüße, 日本 🙂\""), ("", #""""#),
    ])
    func escapesWhatJSONRequires(text: String, quoted: String) {
        #expect(JSONText.quoted(text) == quoted)
    }

    @Test func aJSONParserReadsBackEveryControlCharacter() throws {
        let text = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self) + "é"
        let literal = Data(JSONText.quoted(text).utf8)
        let parsed = try JSONSerialization.jsonObject(with: literal, options: .fragmentsAllowed)
        #expect(parsed as? String == text)
    }
}
