// SPDX-License-Identifier: Apache-2.0
import Synchronization

/// The bytes token-proxy may hold for one kind of buffer, process-wide: request bodies kept
/// for replay (`limits.replayBudgetBytes`), responses waiting for slow clients
/// (`limits.responseBudgetBytes`). Past it, a body streams instead of being kept, and a
/// response transfer pauses, so no number of clients can grow the process past its budgets.
///
/// Shared by every loop; each reservation and release is one atomic operation.
public final class BufferBudget: Sendable {
    public let limit: Int
    private let reserved = Atomic<Int>(0)

    public init(limit: Int) {
        self.limit = limit
    }

    /// Bytes held against the budget now.
    public var inUse: Int { reserved.load(ordering: .relaxed) }

    /// Takes `count` bytes of the budget if they fit; returns whether they were taken.
    func reserve(_ count: Int) -> Bool {
        var current = reserved.load(ordering: .relaxed)
        while current + count <= limit {
            let (exchanged, original) = reserved.compareExchange(
                expected: current, desired: current + count, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Counts `count` bytes already held, whether they fit or not.
    func charge(_ count: Int) {
        reserved.add(count, ordering: .relaxed)
    }

    /// Whether everything is taken.
    var isExhausted: Bool { inUse >= limit }

    func release(_ count: Int) {
        reserved.subtract(count, ordering: .relaxed)
    }
}
