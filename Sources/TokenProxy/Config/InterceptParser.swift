// SPDX-License-Identifier: Apache-2.0

/// Reads `intercept`. The CA's store path is checked for form only;
/// `CertificateAuthority` opens it (start-up, reload, `check`).
enum InterceptParser {
    static let keys = ["ca"]
    static let authorityKeys = ["keyStore", "keyStorePassword", "keyAlias", "keyPassword"]

    static func parse(_ node: ConfigNode) throws(ConfigError) -> InterceptSettings {
        let intercept = try node.map(allowedKeys: keys)
        let hint = "the CA that signs the certificates of intercepted hosts; token-proxy ca init makes one"
        guard let authorityNode = intercept["ca"] else {
            throw .missingKey(file: node.document.file, key: node.path.appending("ca").description, hint: hint)
        }
        let authority = try authorityNode.map(allowedKeys: authorityKeys)
        guard let keyStore = authority["keyStore"] else {
            throw .missingKey(
                file: node.document.file, key: authority.path.appending("keyStore").description,
                hint: "name the key store of " + hint)
        }
        return InterceptSettings(
            authority: InterceptSettings.AuthorityStore(
                keyStore: try keyStore.filePath(),
                keyStorePassword: try authority["keyStorePassword"]?.secret(),
                keyAlias: try authority["keyAlias"]?.nonEmptyString("the alias of the CA's key in the key store"),
                keyPassword: try authority["keyPassword"]?.secret()))
    }
}
