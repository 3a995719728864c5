// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Whole-file reads with plain POSIX calls, for files read again and again (the reload poll).
/// swift-foundation 6.3 leaks 4 KiB on every read of an empty file, which a poll every two
/// seconds would turn into a steady leak.
enum FileBytes {
    /// The content of `path`, or nil when it cannot be opened or read.
    static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return content }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            content.append(contentsOf: chunk[..<count])
        }
    }
}
