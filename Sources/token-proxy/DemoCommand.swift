// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import Glibc
import TokenProxy

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a self-contained demo on loopback: a token endpoint and an echo API behind the proxy.")

    @Option(help: "Port of the demo proxy on 127.0.0.1.")
    var port: Int = 8080

    func run() async throws {
        AllocatorThresholds.fix()
        let logger = ProcessLogging.bootstrap(LoggingSettings())
        // The demo's CA lives as long as the demo: a private directory, removed when it stops.
        let directory = try Self.privateTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authority = try AuthorityFiles.create(in: directory, force: false, hostName: "token-proxy demo")
        let demo = try Demo(listen: HostPort(host: "127.0.0.1", port: port), authority: authority, logger: logger)
        let termination = TerminationSignals()
        demo.start()
        print(
            """
            token-proxy demo is running on 127.0.0.1:\(demo.port), in front of a built-in token endpoint and echo API.
            Try it from another terminal; the echoed "Authorization" header holds the token the proxy fetched.
            The second command is an HTTPS app: it trusts the demo's CA, made in \(directory) like `token-proxy ca init`.

            \(demo.curlCommands.map { "    " + $0 }.joined(separator: "\n"))

            Press Ctrl-C to stop.
            """)
        fflush(nil)  // flushes every output stream; stdout itself is not concurrency-safe to name
        _ = await termination.wait()
    }

    /// A new directory only this user can enter, under `$TMPDIR` or `/tmp`.
    private static func privateTemporaryDirectory() throws(AuthorityFileError) -> String {
        let pattern = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("token-proxy-demo-XXXXXX")
        var template = Array(pattern.path.utf8CString)
        // mkdtemp replaces the Xs in place.
        let made = template.withUnsafeMutableBufferPointer { $0.baseAddress.flatMap(mkdtemp) != nil }
        guard made else {
            throw .cannotCreateDirectory(path: pattern.path, reason: String(cString: strerror(errno)))
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
