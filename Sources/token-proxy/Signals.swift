// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc

/// The signals that end the process, SIGTERM and SIGINT. Create it before the listener opens:
/// from then on those signals are caught, never the default action that would kill the process
/// while a request is in flight.
///
/// `@unchecked Sendable` because its state is touched on its own serial queue only.
final class TerminationSignals: @unchecked Sendable {
    private let queue = DispatchQueue(label: "token-proxy.signals")
    private var sources: [DispatchSourceSignal] = []
    private var received: Int32?
    private var waiter: CheckedContinuation<Int32, Never>?

    init() {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [self] in fire(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    /// Returns the first SIGTERM or SIGINT received, at once if one came already.
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                if let received {
                    continuation.resume(returning: received)
                } else {
                    waiter = continuation
                }
            }
        }
    }

    private func fire(_ signal: Int32) {
        guard received == nil else { return }
        received = signal
        waiter?.resume(returning: signal)
        waiter = nil
    }
}
