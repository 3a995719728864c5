// SPDX-License-Identifier: Apache-2.0

extension ProxyStack {
    /// The usual stack with the top-level `limits` map, e.g. `["maxBodyBytes": 1024]`.
    convenience init(limits: KeyValuePairs<String, Int>) async throws {
        // ProxyStack writes `route` last in the file, so an unindented key there is a top-level one.
        let map = limits.map { "  \($0.key): \($0.value)" }.joined(separator: "\n")
        try await self.init(route: "limits:\n\(map)")
    }
}
