// SPDX-License-Identifier: Apache-2.0
import Glibc
import Logging
import TokenProxy

/// Writes one line per event to stdout, as logfmt (`key=value`) or JSON.
///
/// A line is built as bytes and handed whole to `StandardOutputLines`, so lines from
/// several threads do not interleave; lines written during an event loop's turn leave
/// together when it ends. A request's line is on the hot path: it is built without
/// Foundation, and in logfmt without a string per field.
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
        let fields = fields(adding: event.metadata)
        var line: [UInt8] = []
        line.reserveCapacity(384)
        switch format {
        case .logfmt:
            line += "time=".utf8
            LogTimestamp.append(to: &line)
            line += " level=".utf8
            line += event.level.rawValue.utf8
            line += " msg=".utf8
            Self.appendLogfmtValue(event.message.description, to: &line)
            for (key, value) in fields {
                line.append(UInt8(ascii: " "))
                line += key.utf8
                line.append(UInt8(ascii: "="))
                Self.appendLogfmtValue(value.description, to: &line)
            }
        case .json:
            line += #"{"time":""#.utf8
            LogTimestamp.append(to: &line)
            line += #"","level":""#.utf8
            line += event.level.rawValue.utf8
            line += #"","msg":"#.utf8
            line += JSONText.quoted(event.message.description).utf8
            for (key, value) in fields {
                line += ",\(JSONText.quoted(key)):\(JSONText.quoted(value.description))".utf8
            }
            line.append(UInt8(ascii: "}"))
        }
        line.append(UInt8(ascii: "\n"))
        Self.writeToStandardOutput(line)
    }

    /// The handler's metadata and the event's, the event's winning, sorted by key.
    private func fields(adding eventMetadata: Logger.Metadata?) -> [(key: String, value: Logger.MetadataValue)] {
        let merged =
            switch (metadata.isEmpty, eventMetadata) {
            case (_, nil): metadata
            case (true, let event?): event
            case (false, let event?): metadata.merging(event) { $1 }
            }
        return merged.sorted { $0.key < $1.key }
    }

    /// A value as is when it is one word, else as a quoted string.
    private static func appendLogfmtValue(_ value: String, to line: inout [UInt8]) {
        let plain =
            !value.isEmpty
            && value.utf8.allSatisfy {
                $0 > 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") && $0 != 0x7F
            }
        if plain {
            line += value.utf8
        } else {
            line += JSONText.quoted(value).utf8
        }
    }

    private static func writeToStandardOutput(_ line: [UInt8]) {
        line.withUnsafeBytes(StandardOutputLines.write)
    }
}
