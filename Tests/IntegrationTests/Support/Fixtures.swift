// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Where the test peers' scripts and tools are.
enum Fixtures {
    /// `Tests/Fixtures`, found from this source file so that it works from any working directory.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // IntegrationTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// The package root, which holds `.build`.
    static let packageRoot = directory.deletingLastPathComponent().deletingLastPathComponent()

    static func script(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    /// The executable `name` from `PATH`, else from `fallbacks` (nginx lives in /usr/sbin, outside many users' PATH).
    static func tool(_ name: String, fallbacks: [String] = []) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/\(name)" } + fallbacks
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw HarnessError.missingTool(name: name, searched: candidates)
        }
        return URL(fileURLWithPath: found)
    }
}
