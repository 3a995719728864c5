// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs a command-line tool to completion, e.g. `openssl` making a certificate or a password hash.
enum ToolRun {
    /// The tool did not exit with status 0 in time.
    struct Failed: Error, CustomStringConvertible {
        let command: String
        let exit: ManagedProcess.Exit?
        let stderr: String

        var description: String {
            "\(command) ended with \(exit.map(\.description) ?? "a timeout"); its stderr:\n\(stderr)"
        }
    }

    /// Runs `tool arguments` and returns what it wrote on stdout; throws unless it exits with 0 within `timeout`.
    @discardableResult
    static func output(
        of tool: String, _ arguments: [String], timeout: Duration = .seconds(30)
    ) async throws -> String {
        let scratch = try ScratchDirectory(prefix: tool)
        let process = try ManagedProcess(
            name: tool, executable: try Fixtures.tool(tool), arguments: arguments, scratch: scratch)
        let exit = try await DedicatedThread.run { process.waitForExit(timeout: timeout) }
        guard exit == .exited(0) else {
            process.stop()
            throw Failed(command: tool, exit: exit, stderr: process.errorOutput())
        }
        return process.output()
    }
}
