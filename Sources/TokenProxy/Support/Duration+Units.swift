// SPDX-License-Identifier: Apache-2.0

/// A `Duration` in the units the C APIs, metrics and messages take.
extension Duration {
    /// Whole milliseconds (curl's timeouts, Dispatch deadlines).
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Whole nanoseconds (swift-metrics timers).
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// Seconds with a fraction (messages, the metrics text).
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
