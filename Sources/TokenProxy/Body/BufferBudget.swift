// SPDX-License-Identifier: Apache-2.0
import Synchronization

/// The bytes token-proxy may hold for request bodies kept for replay, process-wide
/// (`limits.bufferBudgetBytes`). A body that cannot get its share streams instead
/// and is sent once, so a burst of uploads cannot grow the process past its budget.
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

    func release(_ count: Int) {
        reserved.subtract(count, ordering: .relaxed)
    }
}
