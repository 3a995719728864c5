// SPDX-License-Identifier: Apache-2.0

import Yams

/// A map of the configuration file whose keys have all been checked against
/// the keys allowed there, so a typo is an error naming the key.
///
/// A key with a null value (`scope:` or `scope: ~`) counts as not written.
struct ConfigMap {
    let path: ConfigKeyPath
    let document: ConfigDocument
    /// The keys written with a value, in file order.
    let writtenKeys: [String]
    private let values: [String: ConfigNode]

    init(_ node: ConfigNode, allowedKeys: [String]) throws(ConfigError) {
        guard case .mapping(let mapping) = node.node else { throw node.wrongType("a map of keys") }
        var values: [String: ConfigNode] = [:]
        var writtenKeys: [String] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else { throw node.wrongType("a map whose keys are words") }
            let key = keyScalar.string
            let path = node.path.appending(key)
            guard allowedKeys.contains(key) else {
                throw .unknownKey(
                    file: node.document.file,
                    key: path.description,
                    allowed: allowedKeys,
                    suggestion: Self.suggestion(for: key, among: allowedKeys)
                )
            }
            guard valueNode.tagName != .null else { continue }
            values[key] = ConfigNode(node: valueNode, path: path, document: node.document)
            writtenKeys.append(key)
        }
        self.path = node.path
        self.document = node.document
        self.values = values
        self.writtenKeys = writtenKeys
    }

    subscript(key: String) -> ConfigNode? { values[key] }

    /// The allowed key a misspelt `key` most likely meant: same letters in
    /// another case, or at most two edits away (one for short keys).
    static func suggestion(for key: String, among allowedKeys: [String]) -> String? {
        let lowered = key.lowercased()
        let limit = key.count <= 4 ? 1 : 2
        let ranked =
            allowedKeys
            .map { (key: $0, distance: editDistance(lowered, $0.lowercased())) }
            .filter { $0.distance <= limit }
            .min { $0.distance < $1.distance }
        return ranked?.key
    }

    /// Levenshtein distance, over Characters.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, charA) in a.enumerated() {
            var current = [i + 1]
            for (j, charB) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (charA == charB ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
