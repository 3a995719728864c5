// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A fresh directory under the system temporary directory, removed with everything in it when released.
///
/// Peers keep their config, logs and pid files here, so a test leaves nothing behind.
final class ScratchDirectory: Sendable {
    let url: URL

    init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` inside this directory.
    func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }
}
