// SPDX-License-Identifier: Apache-2.0
import Logging

/// Logging set-up of the executable; the library only takes `Logger`s.
enum ProcessLogging {
    /// Log lines go to stdout (one per request); `quiet` keeps stdout for a command's own output.
    static func bootstrap(quiet: Bool = false) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = quiet ? StreamLogHandler.standardError(label: label) : StreamLogHandler.standardOutput(label: label)
            handler.logLevel = quiet ? .warning : .info
            return handler
        }
        return Logger(label: "token-proxy")
    }
}
