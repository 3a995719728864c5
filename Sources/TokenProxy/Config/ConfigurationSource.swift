// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A configuration file and everything it draws on (`${file:}` targets, TLS
/// stores), loaded together and watched for changes, so that a rotated secret
/// or store is picked up without a restart.
public final class ConfigurationSource: @unchecked Sendable {
    public let path: String
    private let environment: [String: String]
    private let lock = NSLock()
    /// What each file read by the last load held; nil for a file that could not be read.
    private var fingerprint: [String: [UInt8]?] = [:]

    public init(path: String, environment: [String: String]) {
        self.path = path
        self.environment = environment
    }

    /// Loads and validates the configuration and remembers the files it used.
    public func load() throws(ConfigError) -> ProxyConfiguration {
        let recorder = ReadRecorder()
        let configuration = try ConfigurationLoader.load(path: path, environment: environment) { file in
            recorder.paths.append(file)
            return try ConfigurationLoader.readFromDisk(file)
        }
        let stores = configuration.routes.flatMap { [$0.tls.trustStore, $0.tls.keyStore].compactMap { $0 } }
        let files = Set(recorder.paths + stores)
        lock.withLock { fingerprint = Dictionary(uniqueKeysWithValues: files.map { ($0, Self.contents(of: $0)) }) }
        return configuration
    }

    /// Whether any file used by the last load now holds something else.
    public func hasChanged() -> Bool {
        lock.withLock { fingerprint }.contains { path, contents in Self.contents(of: path) != contents }
    }

    private static func contents(of path: String) -> [UInt8]? {
        FileBytes.read(path)
    }
}

/// Collects the paths the loader reads; used on one thread, during one load.
private final class ReadRecorder: @unchecked Sendable {
    var paths: [String] = []
}
