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
            Self.appendLogfmtValue(event.message.description.utf8, to: &line)
            for (key, value) in fields {
                line.append(UInt8(ascii: " "))
                line += key.utf8
                line.append(UInt8(ascii: "="))
                Self.appendLogfmtValue(value, to: &line)
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

    /// The handler's metadata and the event's, the event's winning, sorted by key. A request's line
    /// comes as one `LogFields` value whose fields are in key order already: it is taken as it is.
    private func fields(adding eventMetadata: Logger.Metadata?) -> [(key: String, value: LogFields.Value)] {
        if metadata.isEmpty, let eventMetadata, eventMetadata.count == 1,
            case .stringConvertible(let value)? = eventMetadata[LogFields.metadataKey],
            let fields = value as? LogFields
        {
            return fields.entries
        }
        var merged =
            switch (metadata.isEmpty, eventMetadata) {
            case (_, nil): metadata
            case (true, let event?): event
            case (false, let event?): metadata.merging(event) { $1 }
            }
        var entries: [(key: String, value: LogFields.Value)] = []
        if case .stringConvertible(let value)? = merged[LogFields.metadataKey], let fields = value as? LogFields {
            merged[LogFields.metadataKey] = nil
            entries = fields.entries
        }
        entries += merged.map { ($0.key, .text($0.value.description)) }
        return entries.sorted { $0.key < $1.key }
    }

    private static func appendLogfmtValue(_ value: LogFields.Value, to line: inout [UInt8]) {
        switch value {
        case .text(let text): appendLogfmtValue(text.utf8, to: &line)
        case .part(let part): appendLogfmtValue(part.utf8, to: &line)
        case .number(let number): line += String(number).utf8
        }
    }

    /// A value as is when it is one word, else as a quoted string.
    private static func appendLogfmtValue(_ value: some Collection<UInt8>, to line: inout [UInt8]) {
        let plain =
            !value.isEmpty
            && value.allSatisfy {
                $0 > 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") && $0 != 0x7F
            }
        if plain {
            line += value
        } else {
            line += JSONText.quoted(String(decoding: value, as: UTF8.self)).utf8
        }
    }

    private static func writeToStandardOutput(_ line: [UInt8]) {
        line.withUnsafeBytes(StandardOutputLines.write)
    }
}
