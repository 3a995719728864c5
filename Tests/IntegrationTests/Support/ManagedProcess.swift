// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A peer process one test started, stopped by its PID when the test is done with it.
///
/// stdout and stderr go to files in the owner's scratch directory, so a test
/// can assert on log lines and a failed start can show why. `deinit` stops the
/// process, so none outlives the object that started it.
///
/// Sendable so that a blocking wait can run on a `DedicatedThread`; the only
/// mutable state, the recorded exit, is guarded by a lock.
final class ManagedProcess: @unchecked Sendable {
    /// How the process ended.
    enum Exit: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }

    /// The name errors use, e.g. "nginx".
    let name: String
    let pid: Int32
    private let process: Process
    private let exited = DispatchSemaphore(value: 0)
    private let standardOutput: URL
    private let standardError: URL
    private let lock = NSLock()
    private var recordedExit: Exit?

    /// Starts `executable`; `environment` entries are added to this process's environment.
    init(
        name: String,
        executable: URL,
        arguments: [String],
        environment: [String: String] = [:],
        scratch: ScratchDirectory
    ) throws {
        self.name = name
        standardOutput = scratch.file("\(name).stdout")
        standardError = scratch.file("\(name).stderr")
        try Data().write(to: standardOutput)
        try Data().write(to: standardError)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: standardOutput)
        process.standardError = try FileHandle(forWritingTo: standardError)
        let exited = exited
        process.terminationHandler = { _ in exited.signal() }
        try Self.withSignalsUnblocked { try process.run() }
        self.process = process
        pid = process.processIdentifier
    }

    /// Runs `body` with this thread's signal mask cleared.
    ///
    /// A child inherits the signal mask of the thread that spawns it, and
    /// Dispatch worker threads, where tests run, block nearly every signal.
    /// Spawned from there, a server would never see the SIGTERM that stops it.
    private static func withSignalsUnblocked<Value>(_ body: () throws -> Value) rethrows -> Value {
        var none = sigset_t(), previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    deinit {
        stop()
    }

    var isRunning: Bool { process.isRunning }

    /// Everything the process wrote on stdout so far.
    func output() -> String {
        (try? String(contentsOf: standardOutput, encoding: .utf8)) ?? ""
    }

    /// Everything the process wrote on stderr so far.
    func errorOutput() -> String {
        (try? String(contentsOf: standardError, encoding: .utf8)) ?? ""
    }

    /// Returns once `127.0.0.1:port` accepts a connection; fails if the process exits or `timeout` passes first.
    func waitForPort(_ port: Int, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while (try? LoopbackSocket.connect(port: port, timeout: .seconds(1))) == nil {
            guard process.isRunning else {
                throw HarnessError.exitedEarly(peer: name, status: process.terminationStatus, stderr: errorOutput())
            }
            guard ContinuousClock.now < deadline else {
                throw HarnessError.notListening(peer: name, port: port, timeout: timeout, stderr: errorOutput())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// How the process ended, nil while it runs.
    var exit: Exit? {
        lock.withLock { recordedExit }
    }

    /// Waits up to `timeout` for the process to exit on its own; nil if it still runs.
    func waitForExit(timeout: Duration) -> Exit? {
        if let exit { return exit }
        guard exited.wait(timeout: .now() + timeout.timeInterval) == .success else { return nil }
        exited.signal()  // The process has exited for every other waiter too.
        let exit: Exit =
            process.terminationReason == .exit
            ? .exited(process.terminationStatus) : .signalled(process.terminationStatus)
        lock.withLock { recordedExit = exit }
        return exit
    }

    /// Sends `signal` to the process, by its PID.
    func send(signal: Int32) {
        if process.isRunning { kill(pid, signal) }
    }

    /// SIGTERM, then SIGKILL for the process and the children it started if it has not exited after `grace`.
    @discardableResult
    func stop(grace: Duration = .seconds(5)) -> Exit {
        if let exit { return exit }
        send(signal: SIGTERM)
        if let exit = waitForExit(timeout: grace) { return exit }
        // Kill the children first: once their parent is gone they are re-parented and no longer traceable to us.
        for child in childPIDs() { kill(child, SIGKILL) }
        send(signal: SIGKILL)
        return waitForExit(timeout: .seconds(10)) ?? .signalled(SIGKILL)
    }

    /// The PIDs of the process's direct children, from procfs (e.g. nginx's workers).
    private func childPIDs() -> [Int32] {
        let list = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)
        return (list ?? "").split(separator: " ").compactMap { Int32($0) }
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
