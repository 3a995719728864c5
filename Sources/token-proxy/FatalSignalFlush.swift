// SPDX-License-Identifier: Apache-2.0
import Glibc
import TokenProxy

/// Writes the log lines an event loop's turn still holds (see `StandardOutputLines`) when the
/// process dies of a fatal signal (a Swift runtime trap, a crash, an abort), then lets the fault
/// take its course through the handler that was there before, such as Swift's backtracer.
enum FatalSignalFlush {
    private static let signals: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]
    /// The handlers found at `install()`, by signal number; read by the handler, so plain memory.
    nonisolated(unsafe) private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    static func install() {
        for signal in signals {
            var action = sigaction()
            // A fault happens again when its instruction runs again, and meets the previous handler then;
            // `abort()` resets its signal and raises it again by itself.
            action.__sigaction_handler.sa_sigaction = { signal, _, _ in
                StandardOutputLines.flushAllWithoutWaiting()
                sigaction(signal, FatalSignalFlush.previous + Int(signal), nil)
            }
            action.sa_flags = SA_SIGINFO
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, previous + Int(signal))
        }
    }
}
