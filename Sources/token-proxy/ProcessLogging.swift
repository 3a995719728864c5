// SPDX-License-Identifier: Apache-2.0
import Glibc
import Logging
import TokenProxy

/// Logging set-up of the executable; the library only takes `Logger`s.
enum ProcessLogging {
    /// Log lines go to stdout (one per request) in the configured format and level. Lines an event
    /// loop's turn batches (`StandardOutputLines`) are written at exit or on a fatal signal if the
    /// turn could not finish.
    static func bootstrap(_ settings: LoggingSettings) -> Logger {
        atexit { StandardOutputLines.flushAll() }
        FatalSignalFlush.install()
        LoggingSystem.bootstrap { _ in
            LineLogHandler(format: settings.format, logLevel: Logger.Level(rawValue: settings.level.rawValue) ?? .info)
        }
        return Logger(label: "token-proxy")
    }

    /// For commands whose stdout is their answer (`token`): warnings and errors only, on stderr.
    static func bootstrapQuiet() -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        return Logger(label: "token-proxy")
    }
}
