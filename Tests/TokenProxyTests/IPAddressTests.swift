// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("10.1.2.3", "10.1.2.3"), ("fd00::1", "fd00::1"), ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:0:0:0:0:0:1", "2001:db8::1"),
    ])
    func printsInItsShortestForm(written: String, printed: String) throws {
        #expect(try #require(IPAddress(parsing: written)).description == printed)
    }

    @Test(arguments: [("127.0.0.1", true), ("127.255.0.9", true), ("::1", true), ("::2", false), ("10.0.0.1", false)])
    func loopbackIs127Slash8OrColonColon1(written: String, isLoopback: Bool) throws {
        #expect(try #require(IPAddress(parsing: written)).isLoopback == isLoopback)
    }

    @Test func anythingElseIsNoAddress() {
        #expect(IPAddress(parsing: "localhost") == nil)
        #expect(IPAddress(parsing: "10.1.2") == nil)
    }
}
