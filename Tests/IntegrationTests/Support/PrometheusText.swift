// SPDX-License-Identifier: Apache-2.0

/// A strict reader of the Prometheus text exposition format (version 0.0.4), for tests.
enum PrometheusText {
    /// Every sample as `name{labels}` (labels sorted by name) to value; throws on a line that is not
    /// a comment, a blank line or a well-formed sample.
    static func samples(in text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") { continue }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw HarnessError.malformedResponse("not a Prometheus sample: \(line)")
            }
            samples[try key(String(line[..<space]))] = value
        }
        return samples
    }

    private static func key(_ series: String) throws -> String {
        guard let brace = series.firstIndex(of: "{") else {
            try checkName(series)
            return series
        }
        let name = String(series[..<brace])
        try checkName(name)
        guard series.hasSuffix("}") else { throw HarnessError.malformedResponse("unclosed labels: \(series)") }
        let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
        let labels = try body.split(separator: ",").map { pair -> String in
            guard let equals = pair.firstIndex(of: "="), pair[pair.index(after: equals)...].hasPrefix("\""),
                pair.hasSuffix("\"")
            else { throw HarnessError.malformedResponse("malformed label \(pair) in \(series)") }
            try checkName(String(pair[..<equals]))
            return String(pair)
        }
        return "\(name){\(labels.sorted().joined(separator: ","))}"
    }

    private static func checkName(_ name: String) throws {
        let valid =
            !name.isEmpty
            && name.unicodeScalars.enumerated().allSatisfy { index, scalar in
                scalar == "_" || scalar == ":"
                    || (scalar.properties.isASCIIHexDigit && index > 0 && scalar.value < 0x3A)
                    || (scalar.value >= 0x41 && scalar.value <= 0x5A) || (scalar.value >= 0x61 && scalar.value <= 0x7A)
                    || (index > 0 && scalar.value >= 0x30 && scalar.value <= 0x39)
            }
        guard valid else { throw HarnessError.malformedResponse("invalid metric or label name \(name)") }
    }
}
