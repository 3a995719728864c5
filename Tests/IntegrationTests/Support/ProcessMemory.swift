// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Memory use of a process, from `/proc`.
enum ProcessMemory {
    /// The resident set size (`VmRSS`) of `pid`, in bytes.
    static func residentBytes(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else {
            throw HarnessError.malformedResponse("/proc/\(pid)/status has no VmRSS line")
        }
        return kilobytes * 1024
    }
}
