// SPDX-License-Identifier: Apache-2.0

/// Polls `condition` every 100 ms until it holds or `timeout` passes; returns its last answer.
///
/// For states a peer reaches in its own time (a background retry, a rotated
/// file read), where no event can be awaited directly.
func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
