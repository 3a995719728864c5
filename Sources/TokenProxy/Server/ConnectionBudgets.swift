// SPDX-License-Identifier: Apache-2.0

/// The process-wide budgets every client connection draws on, shared by the connections of all loops.
struct ConnectionBudgets: Sendable {
    /// Request bodies kept for a retry or a `401` replay.
    let replay: BufferBudget
    /// Response bytes waiting for slow clients.
    let response: BufferBudget

    init(_ limits: ConnectionLimits) {
        replay = BufferBudget(limit: limits.replayBudgetBytes)
        response = BufferBudget(limit: limits.responseBudgetBytes)
    }
}
