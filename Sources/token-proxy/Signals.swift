// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc

/// Waits for the signals that end the process.
enum Signals {
    /// Returns the first SIGTERM or SIGINT received.
    static func waitForTermination() async -> Int32 {
        await withCheckedContinuation { continuation in
            let queue = DispatchQueue(label: "token-proxy.signals")
            let resumed = SignalOnce(continuation)
            for signalNumber in [SIGTERM, SIGINT] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { resumed.fire(signalNumber) }
                source.resume()
                resumed.keep(source)
            }
        }
    }
}

/// Resumes a continuation once, whichever signal comes first; keeps the sources alive meanwhile.
private final class SignalOnce: @unchecked Sendable {
    private var continuation: CheckedContinuation<Int32, Never>?
    private var sources: [DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Int32, Never>) {
        self.continuation = continuation
    }

    /// Called on the signal queue only.
    func fire(_ signal: Int32) {
        continuation?.resume(returning: signal)
        continuation = nil
    }

    func keep(_ source: DispatchSourceSignal) {
        sources.append(source)
    }
}
