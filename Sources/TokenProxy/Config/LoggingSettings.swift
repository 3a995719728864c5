// SPDX-License-Identifier: Apache-2.0

/// `logFormat` and `logLevel`: how token-proxy writes its log lines to stdout.
public struct LoggingSettings: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// `key=value` pairs, one line per event.
        case logfmt
        /// One JSON object per line.
        case json
    }

    public enum Level: String, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }

    /// `logFormat`, default `logfmt`.
    public var format: Format
    /// `logLevel`, default `info`.
    public var level: Level

    public init(format: Format = .logfmt, level: Level = .info) {
        self.format = format
        self.level = level
    }
}
