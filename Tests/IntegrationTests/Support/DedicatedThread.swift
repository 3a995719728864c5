// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs blocking work on a thread of its own and awaits the result.
///
/// The cooperative pool has one thread per core (two on CI), so tests that
/// block in a socket read or a process wait there would run one or two at a
/// time. A burst of 50 concurrent clients, as a single-flight test needs,
/// must really be 50 threads blocked at once.
enum DedicatedThread {
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
