// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One request line of token-proxy's stdout log, e.g.
/// `… info token-proxy: duration_ms=3 host=api.test method=GET path=/x route=api status=200 tries=1 [TokenProxy] request`.
struct RequestLogEntry: Sendable {
    /// The metadata fields by name; a value may hold spaces (`error`).
    let fields: [String: String]

    var path: String? { fields["path"] }
    var status: Int? { fields["status"].flatMap { Int($0) } }
    var tries: Int? { fields["tries"].flatMap { Int($0) } }
    var error: String? { fields["error"] }
    /// How long token-proxy took over the request by its own clock, which a busy test runner does not stretch.
    var duration: Duration? { fields["duration_ms"].flatMap { Int($0) }.map { .milliseconds($0) } }

    /// Parses a `request` line; nil for any other line.
    init?(line: Substring) {
        guard line.hasSuffix("] request"), let start = line.range(of: ": "),
              let end = line.range(of: " [", options: .backwards), start.upperBound <= end.lowerBound
        else { return nil }
        var fields: [String: String] = [:]
        var current: String?
        // Words without "=" continue the previous value: swift-log writes values unquoted.
        for word in line[start.upperBound..<end.lowerBound].split(separator: " ") {
            if let equals = word.firstIndex(of: "="), !word[..<equals].isEmpty,
               word[..<equals].allSatisfy({ $0.isLetter || $0 == "_" }) {
                let name = String(word[..<equals])
                fields[name] = String(word[word.index(after: equals)...])
                current = name
            } else if let name = current {
                fields[name, default: ""] += " \(word)"
            }
        }
        self.fields = fields
    }
}

extension TokenProxyProcess {
    /// The request lines logged so far; waits up to `timeout` until there are at least `count`.
    ///
    /// token-proxy logs a request after its response's last byte, so a client
    /// that has just read the response may be a moment ahead of the log.
    func requestLog(atLeast count: Int = 1, timeout: Duration = .seconds(5)) async throws -> [RequestLogEntry] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let entries = process.output().split(separator: "\n").compactMap(RequestLogEntry.init(line:))
            if entries.count >= count || ContinuousClock.now >= deadline { return entries }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
