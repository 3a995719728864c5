// SPDX-License-Identifier: Apache-2.0

/// What `Max-Forwards` asks of token-proxy for one request (RFC 9110 7.6.2): on `TRACE` and
/// `OPTIONS` each intermediary decrements it, and the one that receives `0` answers the request
/// itself. Other methods, and a field that is absent, repeated or not a number, leave the request
/// to be forwarded as it came (a recipient may ignore the field on other methods; token-proxy does
/// not guess at a malformed one).
enum MaxForwards: Equatable {
    /// Forward, with `Max-Forwards` set to `remaining` (nil: as received).
    case forward(remaining: Int?)
    /// The field says `0`: token-proxy is the final recipient.
    case answerHere

    static let fieldName = "Max-Forwards"

    init(_ head: RequestHead) {
        guard head.method == "TRACE" || head.method == "OPTIONS" else {
            self = .forward(remaining: nil)
            return
        }
        let values = head.headers.values(name: Self.fieldName)
        guard values.count == 1, let received = Self.count(values[0]) else {
            self = .forward(remaining: nil)
            return
        }
        self = received == 0 ? .answerHere : .forward(remaining: received - 1)
    }

    /// `1*DIGIT`, trimmed; a number too large for `Int` counts as `Int.max`.
    private static func count(_ value: String) -> Int? {
        let digits = value.trimmingWhitespace()
        guard !digits.isEmpty, digits.utf8.allSatisfy(HTTPByte.isDigit) else { return nil }
        return Int(digits) ?? Int.max
    }
}
