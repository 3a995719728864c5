// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import TokenProxy

/// Writes one line per event to stdout, as logfmt (`key=value`) or JSON.
///
/// Each line goes out in one `write`, so lines from several threads do not interleave.
struct LineLogHandler: LogHandler {
    let format: LoggingSettings.Format
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(format: LoggingSettings.Format, logLevel: Logger.Level) {
        self.format = format
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let (level, message) = (event.level, event.message)
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.sorted { $0.key < $1.key }
        let time = LogTimestamp.now()
        var text: String
        switch format {
        case .logfmt:
            text = "time=\(time) level=\(level) msg=\(Self.logfmtValue(message.description))"
            for (key, value) in fields { text += " \(key)=\(Self.logfmtValue(value.description))" }
        case .json:
            text = "{\"time\":\"\(time)\",\"level\":\"\(level)\",\"msg\":\(JSONText.quoted(message.description))"
            for (key, value) in fields { text += ",\(JSONText.quoted(key)):\(JSONText.quoted(value.description))" }
            text += "}"
        }
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    private static func logfmtValue(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0.value != 0x7F }
        return plain ? value : JSONText.quoted(value)
    }
}
