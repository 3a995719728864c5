// SPDX-License-Identifier: Apache-2.0
import Foundation

public enum System {
    /// Cores this process may run on: its CPU affinity (taskset, cgroup cpusets) as the kernel reports
    /// it in `/proc/self/status`, else every core online.
    public static var coreCount: Int {
        let online = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return online }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
        let allowed = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return allowed > 0 ? min(allowed, online) : online
    }
}
