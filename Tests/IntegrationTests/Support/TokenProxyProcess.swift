// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The built `token-proxy` executable, run as a real process: `serve` in the background, or a one-shot command.
///
/// The configuration is written to a file in a scratch directory and passed
/// with `--config`. stdout and stderr are captured, so tests can assert on the
/// request log and on error messages. The server stops when released.
final class TokenProxyProcess {
    /// How a one-shot command such as `check` or `token` ended.
    struct CommandResult: Sendable {
        let exit: ManagedProcess.Exit
        let stdout: String
        let stderr: String
    }

    /// The port given in the configuration's `listen`.
    let port: Int
    let process: ManagedProcess
    /// The configuration file; rewrite it and send SIGHUP to test a reload.
    let configurationFile: URL
    private let scratch: ScratchDirectory

    /// Runs `token-proxy serve --config FILE` and returns once it listens on `port`, and on
    /// `adminPort` when one is given.
    ///
    /// - Parameters:
    ///   - configuration: the YAML; its `listen` must name `127.0.0.1:<port>`.
    ///   - port: the listen port, usually from `FreePort.allocate()`.
    ///   - adminPort: the port of the configuration's `admin`, when the test talks to it.
    ///   - environment: added to the test's environment, e.g. for `${env:NAME}`.
    init(configuration: String, port: Int, adminPort: Int? = nil, environment: [String: String] = [:]) async throws {
        self.port = port
        scratch = try ScratchDirectory(prefix: "token-proxy")
        configurationFile = scratch.file("token-proxy.yaml")
        try configuration.write(to: configurationFile, atomically: true, encoding: .utf8)
        process = try ManagedProcess(
            name: "token-proxy",
            executable: try Self.executable(),
            arguments: ["serve", "--config", configurationFile.path],
            environment: environment,
            scratch: scratch
        )
        try await process.waitForPort(port)
        if let adminPort { try await process.waitForPort(adminPort) }
    }

    /// Runs `token-proxy <arguments>` to completion, with `--config FILE` appended when `configuration` is given.
    static func run(
        _ arguments: [String],
        configuration: String? = nil,
        environment: [String: String] = [:],
        timeout: Duration = .seconds(30)
    ) async throws -> CommandResult {
        let scratch = try ScratchDirectory(prefix: "token-proxy-command")
        var arguments = arguments
        if let configuration {
            let file = scratch.file("token-proxy.yaml")
            try configuration.write(to: file, atomically: true, encoding: .utf8)
            arguments += ["--config", file.path]
        }
        let process = try ManagedProcess(
            name: "token-proxy", executable: try executable(), arguments: arguments, environment: environment,
            scratch: scratch)
        guard let exit = try await DedicatedThread.run({ process.waitForExit(timeout: timeout) }) else {
            process.stop()
            throw HarnessError.stillRunning(
                peer: "token-proxy \(arguments.joined(separator: " "))", timeout: timeout,
                stderr: process.errorOutput())
        }
        return CommandResult(exit: exit, stdout: process.output(), stderr: process.errorOutput())
    }

    /// The `token-proxy` executable SwiftPM built beside the test binary.
    ///
    /// `TOKEN_PROXY_EXECUTABLE` overrides the search, for a binary built elsewhere.
    static func executable() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [
            environment["TOKEN_PROXY_EXECUTABLE"],
            // `swift test` runs the test binary from the build products directory, where the executable is too.
            Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("token-proxy").path,
            Fixtures.packageRoot.appendingPathComponent(".build/debug/token-proxy").path,
        ].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw HarnessError.missingTool(name: "token-proxy (run swift build first)", searched: candidates)
        }
        return URL(fileURLWithPath: found)
    }
}
