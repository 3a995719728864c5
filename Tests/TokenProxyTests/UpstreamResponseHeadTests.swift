// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct UpstreamResponseHeadTests {
    @Test func statusLinesOfEachVersionParse() {
        #expect(UpstreamResponseHead.statusLine("HTTP/1.1 200 OK") ?? (0, "-") == (200, "OK"))
        #expect(UpstreamResponseHead.statusLine("HTTP/2 204") ?? (0, "-") == (204, ""))
        #expect(
            UpstreamResponseHead.statusLine("HTTP/1.0 503 Service Unavailable") ?? (0, "-") == (
                503, "Service Unavailable"
            ))
    }

    @Test(arguments: ["HTTP/1.1", "HTTP/1.1 20", "HTTP/1.1 2000 OK", "HTTP/1.1 abc OK", "ICY 200 OK", "HTTP/1.1 -12 X"])
    func malformedStatusLinesAreRefused(_ line: String) {
        #expect(UpstreamResponseHead.statusLine(Substring(line)) == nil)
    }
}
