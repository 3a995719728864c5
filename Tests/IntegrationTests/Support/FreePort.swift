// SPDX-License-Identifier: Apache-2.0
import Foundation
import Synchronization

/// Free TCP ports on 127.0.0.1 for peers whose port must be written into a config before they start.
///
/// Ports come from below Linux's ephemeral range (32768 and up): a port the
/// kernel picked for us could be picked again for some process's outgoing
/// connection before our peer binds it. Within the test process no port is
/// handed out twice.
enum FreePort {
    private static let range = 20_000..<32_000
    private static let handedOut = Mutex<Set<Int>>([])

    static func allocate() throws -> Int {
        for _ in 0..<200 {
            let candidate = Int.random(in: range)
            guard handedOut.withLock({ $0.insert(candidate).inserted }) else { continue }
            if (try? LoopbackSocket.bind(port: candidate)) != nil { return candidate }
        }
        throw HarnessError.socket(operation: "find a free port in \(range)", errno: EADDRINUSE)
    }
}
