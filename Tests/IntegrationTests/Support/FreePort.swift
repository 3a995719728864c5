// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Free TCP ports on 127.0.0.1 for peers whose port must be written into a config before they start.
///
/// Ports come from below Linux's ephemeral range (32768 and up): a port the
/// kernel picked for us could be picked again for some process's outgoing
/// connection before our peer binds it. Within the test process no port is
/// handed out twice.
enum FreePort {
    private static let range = 20_000..<32_000
    /// Guarded by `lock`: an `NSLock` (a pthread mutex), which ThreadSanitizer follows; it does not
    /// follow `Synchronization.Mutex` on Linux and reported its guarded accesses as a race.
    nonisolated(unsafe) private static var handedOut: Set<Int> = []
    private static let lock = NSLock()

    static func allocate() throws -> Int {
        for _ in 0..<200 {
            let candidate = Int.random(in: range)
            guard lock.withLock({ handedOut.insert(candidate).inserted }) else { continue }
            if (try? LoopbackSocket.bind(port: candidate)) != nil { return candidate }
        }
        throw HarnessError.socket(operation: "find a free port in \(range)", errno: EADDRINUSE)
    }
}
