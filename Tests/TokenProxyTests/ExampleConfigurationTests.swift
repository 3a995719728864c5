// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import TokenProxy

/// The examples in config/ stay valid as the loader evolves.
@Suite struct ExampleConfigurationTests {
    private static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config")

    static let examples =
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
        .filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test func thereAreExamples() {
        #expect(Self.examples.contains("token-proxy.yaml"))
        #expect(Self.examples.count >= 5)
    }

    @Test(arguments: examples)
    func exampleLoads(_ name: String) throws {
        // Every ${env:} and ${file:} placeholder resolves to a stand-in value.
        let environment = ProcessInfo.processInfo.environment.merging(
            [
                "TOKEN_PROXY_CLIENT_SECRET", "PARTNER_CLIENT_SECRET", "TRUSTSTORE_PASSWORD", "KEYSTORE_PASSWORD",
                "KEY_PASSWORD", "CORPORATE_PROXY_PASSWORD",
            ].map { ($0, "stand-in") }
        ) { $1 }
        let path = Self.directory.appendingPathComponent(name).path
        let configuration = try ConfigurationLoader.load(path: path, environment: environment) { file in
            file == path ? try ConfigurationLoader.readFromDisk(file) : "stand-in"
        }
        #expect(!configuration.routes.isEmpty)
    }
}
