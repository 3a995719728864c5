// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct TunnelOpeningTests {
    @Test func tlsRecordsOfEveryVersionAreClientHellos() {
        for minor: UInt8 in 0...4 {
            #expect(TunnelOpening.classify([0x16, 0x03, minor, 0x02, 0x00, 0x01]) == .tlsClientHello)
        }
        #expect(TunnelOpening.classify([0x16, 0x03, 0x01]) == .tlsClientHello)
    }

    @Test func methodsArePlainHTTPFromTheFirstByte() {
        for request in ["GET / HTTP/1.1\r\n", "P", "OPTIONS * HTTP/1.1", "custom-method /"] {
            #expect(TunnelOpening.classify(Array(request.utf8)) == .plainHTTP, "\(request)")
        }
    }

    @Test func fewBytesAskForMore() {
        #expect(TunnelOpening.classify([UInt8]()) == .needsBytes(1))
        #expect(TunnelOpening.classify([0x16]) == .needsBytes(3))
        #expect(TunnelOpening.classify([0x16, 0x03]) == .needsBytes(3))
    }

    @Test func anythingElseIsGarbage() {
        let cases: [[UInt8]] = [
            [0x16, 0x02, 0x00], [0x16, 0x03, 0x05], [0x17, 0x03, 0x03], [0x80, 0x2e, 0x01], [0x00],
            Array("\r\nGET / HTTP/1.1".utf8), Array(" GET".utf8), [0xff, 0xfe],
        ]
        for bytes in cases {
            #expect(TunnelOpening.classify(bytes) == .garbage, "\(bytes)")
        }
    }

    @Test func aSliceIsClassifiedFromItsStart() {
        let buffer: [UInt8] = [0x47, 0x16, 0x03, 0x03]
        #expect(TunnelOpening.classify(buffer[1...]) == .tlsClientHello)
    }
}
