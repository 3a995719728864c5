// SPDX-License-Identifier: Apache-2.0

/// Reads a route's `tls` section, merged per key with the top-level `tls`.
///
/// Store paths are checked for form only; `TLSMaterial` opens the stores. A
/// relative store path is taken relative to the configuration file's
/// directory, so a config and its stores can move together.
enum TLSParser {
    static let keys = ["trustStore", "trustStorePassword", "keyStore", "keyStorePassword", "keyAlias", "keyPassword"]

    static func parse(_ route: LayeredMap) throws(ConfigError) -> TLSConfiguration {
        let tls = try route.nested("tls", allowedKeys: keys)
        try requireStore("trustStore", for: ["trustStorePassword"], in: tls)
        try requireStore("keyStore", for: ["keyStorePassword", "keyAlias", "keyPassword"], in: tls)
        return TLSConfiguration(
            trustStore: try tls["trustStore"]?.filePath(),
            trustStorePassword: try tls["trustStorePassword"]?.secret(),
            keyStore: try tls["keyStore"]?.filePath(),
            keyStorePassword: try tls["keyStorePassword"]?.secret(),
            keyAlias: try tls["keyAlias"]?.nonEmptyString("the alias of a key in the key store"),
            keyPassword: try tls["keyPassword"]?.secret()
        )
    }

    /// A password or alias is a mistake without the store it belongs to.
    private static func requireStore(
        _ store: String,
        for dependents: [String],
        in tls: LayeredMap
    ) throws(ConfigError) {
        guard tls[store] == nil, let node = dependents.lazy.compactMap({ tls[$0] }).first else { return }
        throw .misplacedKey(
            file: node.document.file,
            key: node.path.description,
            reason: "\(tls.path.appending(store)) is not set; set it, or remove \(node.path)"
        )
    }
}
