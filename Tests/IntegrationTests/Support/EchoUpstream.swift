// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The upstream the proxy forwards to: nginx on a free port in front of the echo service
/// (`Tests/Fixtures/echo_server.py`), which answers with a JSON report of what it received.
///
/// Both processes stop when this object is released.
final class EchoUpstream {
    let port: Int
    let configuration: NginxConfiguration
    let nginx: ManagedProcess
    let echo: ManagedProcess
    /// The echo service itself, without nginx in front.
    let echoPort: Int
    private let scratch: ScratchDirectory

    /// `http://127.0.0.1:<nginx port>`, to be used as a route's upstream.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `https://127.0.0.1:<nginx TLS port>` when nginx was started with certificates.
    var tlsBaseURL: String? { configuration.tls.map { "https://127.0.0.1:\($0.port)" } }

    /// Starts the echo service, then nginx, and returns once both listen.
    ///
    /// - Parameter tls: with certificates, nginx also listens with TLS and HTTP/2 on a second port.
    init(tls: NginxConfiguration.Certificates? = nil) async throws {
        scratch = try ScratchDirectory(prefix: "echo-upstream")
        echoPort = try FreePort.allocate()
        echo = try ManagedProcess.pythonFixture(
            "echo_server.py", arguments: ["--port", String(echoPort)], scratch: scratch)

        port = try FreePort.allocate()
        configuration = NginxConfiguration(
            port: port,
            upstreamPort: echoPort,
            directory: scratch.url,
            tls: try tls.map { NginxConfiguration.TLSListener(port: try FreePort.allocate(), certificates: $0) }
        )
        nginx = try configuration.start(in: scratch)
        try await echo.waitForPort(echoPort)
        try await nginx.waitForPort(port)
        if let tls = configuration.tls {
            try await nginx.waitForPort(tls.port)
        }
    }

    /// The access log lines so far; waits up to `timeout` until there are at least `count`.
    ///
    /// nginx writes a line after the response's last byte, so a client that has
    /// just read a response may be a moment ahead of the log.
    func accessLog(atLeast count: Int = 0, timeout: Duration = .seconds(5)) async throws -> [NginxAccessLogEntry] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = (try? String(contentsOf: configuration.accessLog, encoding: .utf8)) ?? ""
            let entries = text.split(separator: "\n").compactMap(NginxAccessLogEntry.init(line:))
            if entries.count >= count || ContinuousClock.now >= deadline { return entries }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// How many requests the echo service answered, by path.
    func requestCounts() throws -> [String: Int] {
        try stats().byPath
    }

    /// How many request bodies ended before their framing said, their sender gone.
    func cutBodies() throws -> Int {
        try stats().cutBodies
    }

    private struct Stats: Decodable {
        let byPath: [String: Int]
        let cutBodies: Int
    }

    private func stats() throws -> Stats {
        let response = try HTTPClient(port: echoPort, timeout: .seconds(10)).exchange(HTTPRequest("GET", "/stats"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Stats.self, from: Data(response.body))
    }
}
