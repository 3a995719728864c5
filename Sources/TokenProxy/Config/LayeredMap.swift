// SPDX-License-Identifier: Apache-2.0

/// A route's settings with the top-level defaults under them.
///
/// Each key is looked up in the route's own map first, then at the top level.
/// Nested maps (`auth`, `tls`, `proxy`) merge per key: a route that writes only
/// `auth.scope` still inherits the top-level `auth.clientID` and
/// `auth.clientSecret`, which is what a user who sets shared credentials once
/// expects. Lists (`hosts`, `endpoints`) and scalars come whole from the
/// nearest map that writes them.
struct LayeredMap {
    /// The route's path to this map, such as `routes[1].auth`, for keys that are missing.
    let path: ConfigKeyPath
    let document: ConfigDocument
    /// Most specific first: the route, then the top level.
    let layers: [ConfigMap]

    init(path: ConfigKeyPath, document: ConfigDocument, layers: [ConfigMap]) {
        self.path = path
        self.document = document
        self.layers = layers
    }

    /// A map with no defaults under it.
    init(_ map: ConfigMap) {
        self.init(path: map.path, document: map.document, layers: [map])
    }

    subscript(key: String) -> ConfigNode? {
        layers.lazy.compactMap { $0[key] }.first
    }

    /// The nested map `key` of every layer that writes it, each checked against `allowedKeys`.
    func nested(_ key: String, allowedKeys: [String]) throws(ConfigError) -> LayeredMap {
        var nested: [ConfigMap] = []
        for layer in layers {
            if let node = layer[key] { nested.append(try node.map(allowedKeys: allowedKeys)) }
        }
        return LayeredMap(path: path.appending(key), document: document, layers: nested)
    }

    /// The value of `key`, which must be written in the route or at the top level; `hint` says what to set.
    func required(_ key: String, hint: String) throws(ConfigError) -> ConfigNode {
        guard let node = self[key] else {
            throw .missingKey(file: document.file, key: path.appending(key).description, hint: hint)
        }
        return node
    }

    /// Reads the `type` of a section such as `auth` or `proxy` and keeps the layers that apply to it.
    ///
    /// The type in effect for a layer is its own `type`, else that of the layer
    /// under it, else `defaultKind`. Each layer may only write keys of the type
    /// in effect for it, so `auth.accessToken` beside `type: oauth2ClientCredentials`
    /// is an error. A top-level section of another type than the route's is not
    /// inherited: a route that switches to `auth.type: none` drops the
    /// top-level client credentials instead of failing on them.
    func resolvingKind<Kind: SectionKind>(default defaultKind: Kind) throws(ConfigError) -> (Kind, LayeredMap) {
        var kinds: [Kind] = []
        var inEffect = defaultKind
        for layer in layers.reversed() {
            if let node = layer["type"] { inEffect = try Kind(node) }
            kinds.insert(inEffect, at: 0)
        }
        for (layer, kind) in zip(layers, kinds) {
            for key in layer.writtenKeys where key != "type" && !kind.keys.contains(key) {
                let owners = Kind.allCases.filter { $0.keys.contains(key) }.map(\.rawValue)
                throw .misplacedKey(
                    file: layer.document.file,
                    key: layer.path.appending(key).description,
                    reason: "it applies only with type \(owners.joined(separator: " or ")), "
                        + "and the type in effect for \(layer.path) is \(kind.rawValue)"
                )
            }
        }
        let kind = kinds.first ?? defaultKind
        let applying = zip(layers, kinds).filter { $0.1 == kind }.map(\.0)
        return (kind, LayeredMap(path: path, document: document, layers: applying))
    }
}

/// The `type` of a section such as `auth` or `proxy`, which decides the other keys that apply.
protocol SectionKind: CaseIterable, RawRepresentable<String>, Equatable {
    /// The keys besides `type` that apply to this kind.
    var keys: [String] { get }
}

extension SectionKind {
    /// Every key of the section: `type` and the keys of each kind.
    static var allowedKeys: [String] {
        ["type"] + allCases.flatMap(\.keys)
    }

    init(_ node: ConfigNode) throws(ConfigError) {
        guard let kind = Self(rawValue: try node.string()) else {
            throw node.invalid("expected one of: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = kind
    }
}
