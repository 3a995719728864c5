// SPDX-License-Identifier: Apache-2.0

extension KeyStoreContents {
    /// The key entry `alias` names, ignoring case as Java does; without an
    /// alias, the only key. Aliases do not apply to PEM keys, which have none.
    func keyEntry(alias: String?, path: String) throws(KeyStoreError) -> KeyEntry {
        let named = keys.compactMap(\.alias)
        if let alias, !named.isEmpty {
            guard let entry = keys.first(where: { $0.alias?.lowercased() == alias.lowercased() }) else {
                throw .aliasNotFound(path: path, alias: alias, available: named)
            }
            return entry
        }
        guard let only = keys.first else { throw .noPrivateKey(path: path) }
        guard keys.count == 1 else { throw .ambiguousKey(path: path, aliases: named) }
        return only
    }
}
