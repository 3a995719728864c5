// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// An app of one stack that calls its API through token-proxy as its HTTP proxy,
/// trusting the intercept CA the way that stack's users do. Each is a script in
/// `Tests/Fixtures` that prints one `<status> <Base64 body>` line per response.
enum HTTPSApp: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// Python requests with `verify=ca.pem` (`https_app.py`).
    case pythonRequests
    /// `java.net.http.HttpClient` with a trust store made by `keytool -importcert` (`HttpsApp.java`).
    case javaHttpClient
    /// undici's `ProxyAgent` with `NODE_EXTRA_CA_CERTS` (`undici_app.js`), Debian's `node-undici`.
    case nodeUndici

    var testDescription: String { rawValue }

    /// One response the app received.
    struct Response: Sendable {
        let status: Int
        let body: [UInt8]
    }

    /// How a run of the app ended.
    struct Run: Sendable {
        let exit: ManagedProcess.Exit
        let responses: [Response]
        /// The app's diagnostics, such as why it did not trust the certificate.
        let stderr: String
    }

    /// Sends `GET url` `count` times through token-proxy on `proxyPort`, trusting `authority`
    /// besides the stack's own CAs (nil: only those, enough for `http://` URLs).
    ///
    /// The apps send in turn over one kept-alive connection; with `parallel` (undici only)
    /// all at once, each on a connection of its own.
    func run(
        url: String, count: Int = 1, parallel: Bool = false, proxyPort: Int, trusting authority: InterceptAuthority?
    ) async throws -> Run {
        let proxyURL = "http://127.0.0.1:\(proxyPort)"
        let scratch = try ScratchDirectory(prefix: rawValue)
        let process: ManagedProcess
        switch self {
        case .pythonRequests:
            process = try ManagedProcess.pythonFixture(
                "https_app.py",
                arguments: ["--proxy", proxyURL, "--url", url, "--count", String(count)]
                    + (authority.map { ["--ca", $0.certificate.path] } ?? []),
                scratch: scratch)
        case .javaHttpClient:
            var trust: [String] = []
            if let store = try await authority?.javaTrustStore() {
                trust = [
                    "-Djavax.net.ssl.trustStore=\(store.path.path)",
                    "-Djavax.net.ssl.trustStorePassword=\(store.password)",
                ]
            }
            process = try ManagedProcess(
                name: "java", executable: try Fixtures.tool("java"),
                arguments: trust + [Fixtures.script("HttpsApp.java").path, String(proxyPort), url, String(count)],
                scratch: scratch)
        case .nodeUndici:
            process = try ManagedProcess(
                name: "node", executable: try Fixtures.tool("node"),
                arguments: [Fixtures.script("undici_app.js").path, proxyURL, url, String(count)]
                    + (parallel ? ["parallel"] : []),
                environment: ["NODE_PATH": "/usr/share/nodejs"].merging(
                    authority.map { ["NODE_EXTRA_CA_CERTS": $0.certificate.path] } ?? [:]
                ) { $1 },
                scratch: scratch)
        }
        // Java compiles the app first, which takes seconds on a busy machine.
        let timeout = Duration.seconds(120)
        guard let exit = try await DedicatedThread.run({ process.waitForExit(timeout: timeout) }) else {
            process.stop()
            throw HarnessError.stillRunning(peer: rawValue, timeout: timeout, stderr: process.errorOutput())
        }
        let responses = try process.output().split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let status = Int(parts[0]), let body = Data(base64Encoded: String(parts[1])) else {
                throw HarnessError.malformedResponse("\(rawValue) printed \(line.debugDescription)")
            }
            return Response(status: status, body: Array(body))
        }
        return Run(exit: exit, responses: responses, stderr: process.errorOutput())
    }
}
