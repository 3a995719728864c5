// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One request line of token-proxy's stdout log (logfmt), e.g.
/// `time=… level=info msg=request duration_ms=3 host=api.test method=GET path=/x route=api status=200 tries=1`.
struct RequestLogEntry: Sendable {
    /// The fields by name, quoted values unquoted.
    let fields: [String: String]

    var path: String? { fields["path"] }
    var status: Int? { fields["status"].flatMap { Int($0) } }
    var tries: Int? { fields["tries"].flatMap { Int($0) } }
    var error: String? { fields["error"] }
    /// How long token-proxy took over the request by its own clock, which a busy test runner does not stretch.
    var duration: Duration? { fields["duration_ms"].flatMap { Int($0) }.map { .milliseconds($0) } }

    /// Parses a `msg=request` line; nil for any other line.
    init?(line: Substring) {
        guard let fields = Self.logfmt(line), fields["msg"] == "request" else { return nil }
        self.fields = fields
    }

    /// `key=value` pairs; a value is a bare word or a JSON string literal.
    static func logfmt(_ line: Substring) -> [String: String]? {
        var fields: [String: String] = [:]
        var rest = line[...]
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: equals)...]
            if rest.hasPrefix("\"") {
                var end = rest.index(after: rest.startIndex)
                while end < rest.endIndex, rest[end] != "\"" {
                    end =
                        rest.index(end, offsetBy: rest[end] == "\\" ? 2 : 1, limitedBy: rest.endIndex) ?? rest.endIndex
                }
                guard end < rest.endIndex,
                    let value = try? JSONDecoder().decode(String.self, from: Data(rest[...end].utf8))
                else { return nil }
                fields[key] = value
                rest = rest[rest.index(after: end)...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                fields[key] = String(rest[..<end])
                rest = rest[end...]
            }
        }
        return fields
    }
}

extension TokenProxyProcess {
    /// The request lines logged so far; waits up to `timeout` until there are at least `count`.
    ///
    /// token-proxy logs a request after its response's last byte, so a client
    /// that has just read the response may be a moment ahead of the log. The wait ends as soon as
    /// the lines are there; its limit is generous because under ThreadSanitizer, beside the suite's
    /// gigabyte uploads, a line that takes milliseconds alone has taken more than five seconds.
    func requestLog(atLeast count: Int = 1, timeout: Duration = .seconds(30)) async throws -> [RequestLogEntry] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let entries = process.output().split(separator: "\n").compactMap(RequestLogEntry.init(line:))
            if entries.count >= count || ContinuousClock.now >= deadline { return entries }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
