// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import TokenProxy

/// The `--config` option shared by the commands that read a configuration.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: "Configuration file (YAML or JSON). Default: $TOKEN_PROXY_CONFIG, else config/token-proxy.yaml.")
    var path: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `--config`, else the default path.
    var resolvedPath: String {
        path ?? ConfigurationLoader.defaultPath(environment: environment)
    }

    func load() throws(StartupError) -> ProxyConfiguration {
        do {
            return try ConfigurationLoader.load(path: resolvedPath, environment: environment)
        } catch {
            throw .configuration(error)
        }
    }
}
