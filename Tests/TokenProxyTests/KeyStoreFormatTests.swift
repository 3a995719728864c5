// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

/// Format detection and the byte-level decoders, without any files.
@Suite struct KeyStoreFormatTests {
    @Test func formatIsDetectedFromTheFirstBytes() {
        #expect(KeyStoreFormat.detect([0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2]) == .jks)
        #expect(KeyStoreFormat.detect([0xCE, 0xCE, 0xCE, 0xCE, 0, 0, 0, 2]) == .jceks)
        #expect(KeyStoreFormat.detect([0x30, 0x82, 0x09, 0xDC, 0x02, 0x01, 0x03, 0x30, 0x82]) == .pkcs12)
        #expect(KeyStoreFormat.detect([0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80, 0x06, 0x09]) == .pkcs12)
        #expect(KeyStoreFormat.detect(Array("\u{FEFF}\n-----BEGIN CERTIFICATE-----\n".utf8)) == .pem)
        #expect(KeyStoreFormat.detect(Array("/u3+7QAAAAI=".utf8)) == nil)
    }

    @Test func unknownBytesAreDescribed() {
        #expect(KeyStoreFormat.describeUnknown(Array("zs7OzgAAAAI=".utf8)).contains("base64 text of a JCEKS"))
        #expect(KeyStoreFormat.describeUnknown([0, 0, 0, 1, 0, 0, 0, 20]).contains("BKS"))
        #expect(KeyStoreFormat.describeUnknown([]) == "the file is empty")
    }

    @Test func modifiedUTF8DecodesSurrogatePairsAndNUL() {
        let alias: [UInt8] = [0x7A, 0xC3, 0xBC, 0x72, 0x69, 0x63, 0x68, 0x2D, 0xED, 0xA0, 0xBD, 0xED, 0xB4, 0x91]
        #expect(ModifiedUTF8.decode(alias[...]) == "zürich-🔑")
        #expect(ModifiedUTF8.decode([0x61, 0xC0, 0x80, 0x62][...]) == "a\u{0}b")
        #expect(ModifiedUTF8.decode([0x61, 0x00][...]) == nil)
        #expect(ModifiedUTF8.decode([0xE2, 0x82][...]) == nil)
    }

    @Test func javaPasswordsAreUTF16BigEndian() {
        #expect(JavaKeyStore.utf16BigEndian("a€🔑") == [0x00, 0x61, 0x20, 0xAC, 0xD8, 0x3D, 0xDD, 0x11])
    }

    @Test func pemBlocksRoundTrip() throws {
        let body = (0..<100).map { UInt8($0) }
        let encoded = PEMBlock(label: "CERTIFICATE", body: body).encoded
        let lines = String(decoding: encoded, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "-----BEGIN CERTIFICATE-----")
        #expect(lines.dropFirst().first?.count == 64)
        let blocks = try #require(PEMBlock.blocks(in: Array("junk\r\n".utf8) + encoded))
        #expect(blocks.map(\.label) == ["CERTIFICATE"])
        #expect(blocks.first?.body == body)
        #expect(PEMBlock.blocks(in: Array("-----BEGIN CERTIFICATE-----\nAAAA\n".utf8)) == nil)
    }
}
