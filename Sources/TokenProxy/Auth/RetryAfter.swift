// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The `Retry-After` header (RFC 9110 section 10.2.3) of a token endpoint's
/// `429` or `503`: delay seconds or an HTTP date.
enum RetryAfter {
    /// The wait `value` asks for as of `now`; nil when it is neither form. A date in the past is no wait.
    static func delay(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return Int64(text).map { .seconds($0) }
        }
        guard let date = httpDate().date(from: text) else { return nil }
        return .milliseconds(Int64(max(date.timeIntervalSince(now), 0) * 1000))
    }

    /// Whether a response with `status` may carry a `Retry-After` the token source honours.
    static func applies(to status: Int) -> Bool {
        status == 429 || status == 503
    }

    /// IMF-fixdate, the form servers send (`Sun, 06 Nov 1994 08:49:37 GMT`).
    /// A new formatter per use: a header arrives at most once per failed token request.
    private static func httpDate() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }
}
