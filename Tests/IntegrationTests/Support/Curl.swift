// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The `curl` command line tool as an independent client: if curl and the peer agree, the peer is right.
enum Curl {
    /// What curl received.
    struct Result: Sendable {
        /// The final HTTP status, 0 when curl got no response.
        let status: Int
        let body: String
        /// curl's own diagnostics (`-sS`), empty on success.
        let stderr: String
    }

    /// Runs `curl -sS <arguments>` and returns the response; a non-2xx status is a result, not an error.
    ///
    /// - Parameter environment: added to curl's environment, e.g. `https_proxy`.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)
    ) async throws -> Result {
        let scratch = try ScratchDirectory(prefix: "curl")
        let marker = "\n--curl-status:"
        let process = try ManagedProcess(
            name: "curl",
            executable: try Fixtures.tool("curl"),
            arguments: ["-sS", "--max-time", String(timeout.components.seconds), "-w", "\(marker)%{http_code}"]
                + arguments,
            environment: environment,
            scratch: scratch
        )
        guard try await DedicatedThread.run({ process.waitForExit(timeout: timeout + .seconds(5)) }) != nil else {
            throw HarnessError.stillRunning(peer: "curl", timeout: timeout, stderr: process.errorOutput())
        }
        let output = process.output()
        guard let split = output.range(of: marker, options: .backwards) else {
            return Result(status: 0, body: output, stderr: process.errorOutput())
        }
        return Result(
            status: Int(output[split.upperBound...]) ?? 0,
            body: String(output[..<split.lowerBound]),
            stderr: process.errorOutput()
        )
    }
}
