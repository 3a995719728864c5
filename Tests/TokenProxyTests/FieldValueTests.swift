// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

/// Field values as Strings that give back their bytes, obs-text included (RFC 9110 5.5).
@Suite struct FieldValueTests {
    private func roundTrip(_ bytes: [UInt8]) -> [UInt8] {
        let value = bytes.withUnsafeBytes { FieldValue.string($0) }
        return FieldValue.withBytes(of: value) { Array($0) }
    }

    @Test(arguments: [
        Array("plain ASCII, longer than eight bytes".utf8),
        [0xE9, 0xFF],
        Array("Grüße".utf8),
        Array("long ASCII run before it: ".utf8) + [0x80, 0xC3, 0x28, 0xFE],
        [],
    ])
    func everyByteSequenceComesBackUnchanged(bytes: [UInt8]) {
        #expect(roundTrip(bytes) == bytes)
    }

    @Test func allBytesFromTabToFFComeBack() {
        let bytes: [UInt8] = [0x09] + Array(0x20...0x7E) + Array(0x80...0xFF)
        #expect(roundTrip(bytes) == bytes)
    }

    @Test func asciiIsTheSameStringAsBefore() {
        let value = Array("text/plain; q=0.5".utf8).withUnsafeBytes { FieldValue.string($0) }
        #expect(value == "text/plain; q=0.5")
    }

    @Test func obsTextIsOneCharacterPerByte() {
        let value = [UInt8(0x61), 0xE9, 0xFF].withUnsafeBytes { FieldValue.string($0) }
        #expect(value.unicodeScalars.map(\.value) == [0x61, 0xE9, 0xFF])
    }

    @Test func obsTextIsFoundInEveryPositionOfAWord() {
        for position in 0..<19 {
            var bytes = [UInt8](repeating: 0x41, count: 19)
            bytes[position] = 0x80
            #expect(bytes.withUnsafeBytes { FieldValue.containsObsText($0) }, "at \(position)")
        }
        #expect(![UInt8](repeating: 0x7F, count: 19).withUnsafeBytes { FieldValue.containsObsText($0) })
    }

    @Test func aCharacterBeyondFFIsWrittenAsUTF8() {
        #expect(FieldValue.withBytes(of: "\u{E9}\u{20AC}") { Array($0) } == [0xE9, 0xE2, 0x82, 0xAC])
    }
}
