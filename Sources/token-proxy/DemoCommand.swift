// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Glibc
import TokenProxy

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a self-contained demo on loopback: a token endpoint and an echo API behind the proxy.")

    @Option(help: "Port of the demo proxy on 127.0.0.1.")
    var port: Int = 8080

    func run() async throws {
        LargeAllocations.returnToTheSystemWhenFreed()
        let logger = ProcessLogging.bootstrap(LoggingSettings())
        let demo = try Demo(listen: HostPort(host: "127.0.0.1", port: port), logger: logger)
        let termination = TerminationSignals()
        demo.start()
        print(
            """
            token-proxy demo is running on 127.0.0.1:\(demo.port), in front of a built-in token endpoint and echo API.
            Try it from another terminal; the echoed "Authorization" header holds the token the proxy fetched:

                \(demo.curlCommand)

            Press Ctrl-C to stop.
            """)
        fflush(nil)  // flushes every output stream; stdout itself is not concurrency-safe to name
        _ = await termination.wait()
    }
}
