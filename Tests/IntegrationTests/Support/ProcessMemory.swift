// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Memory use of a process, from `/proc`.
enum ProcessMemory {
    /// The resident set size (`VmRSS`) of `pid`, in bytes.
    static func residentBytes(of pid: Int32) throws -> Int {
        try statusField("VmRSS", of: pid)
    }

    /// The largest resident set size (`VmHWM`) of `pid` since it started or since `resetPeak(of:)`, in bytes.
    static func peakResidentBytes(of pid: Int32) throws -> Int {
        try statusField("VmHWM", of: pid)
    }

    /// Starts measuring the peak anew from the current resident set size (`clear_refs` value 5).
    static func resetPeak(of pid: Int32) throws {
        try Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/\(pid)/clear_refs"))
    }

    /// Whether the resident set says something about the proxy's own buffers: under AddressSanitizer freed
    /// memory waits in a quarantine, and ThreadSanitizer keeps shadow memory, so bounds are not checked there.
    static var boundsAreMeaningful: Bool {
        ProcessInfo.processInfo.environment["TOKEN_PROXY_SANITIZER"] == nil
    }

    private static func statusField(_ name: String, of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("\(name):") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else {
            throw HarnessError.malformedResponse("/proc/\(pid)/status has no \(name) line")
        }
        return kilobytes * 1024
    }
}
