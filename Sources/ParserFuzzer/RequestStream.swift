// SPDX-License-Identifier: Apache-2.0
import TokenProxy

/// What a client connection made of a byte stream: the pipelined requests it read whole, and how it stopped.
struct StreamReading: Equatable {
    struct Request: Equatable {
        var head: RequestHead
        var framing: BodyFraming
        var body: [UInt8]
    }

    enum Ending: Equatable {
        /// Every byte was taken; more would be needed to finish the request under way, if any.
        case needMore
        case rejected(ParseError)
    }

    var requests: [Request] = []
    var ending = Ending.needMore
}

/// Reads pipelined requests from a byte stream delivered in pieces, the way `ClientConnection` does: a head
/// with `RequestParser`, its framing with `BodyFraming`, a chunked body with `ChunkedBodyDecoder`.
///
/// Every piece is checked against the parsers' promises as it is read: consumed counts within what was given,
/// a head's count at least its own two line ends, a chunked body's payload no longer than its bytes, and an
/// incomplete body taking every byte. A broken promise stops the process, which is what a fuzzer looks for.
struct RequestStream {
    private enum BodyProgress {
        case remaining(Int)
        case chunked(ChunkedBodyDecoder)
    }

    /// A request whose head has been read and whose body is still coming.
    private struct BodyUnderWay {
        let head: RequestHead
        let framing: BodyFraming
        var progress: BodyProgress
        var body: [UInt8] = []
    }

    private let limits: ParserLimits
    private var parser: RequestParser
    /// Bytes received and not yet taken by a head or body.
    private var pending: [UInt8] = []
    private var current: BodyUnderWay?
    private(set) var reading = StreamReading()

    init(limits: ParserLimits) {
        self.limits = limits
        parser = RequestParser(limits: limits)
    }

    /// Reads `bytes` as the next piece of the stream; after a rejection, later pieces are ignored.
    mutating func receive(_ bytes: UnsafeRawBufferPointer) {
        guard reading.ending == .needMore else { return }
        pending.append(contentsOf: bytes)
        do {
            try advance()
        } catch let error as ParseError {
            precondition(error.status == 400 || error.status == 431, "\(error) has status \(error.status)")
            precondition(!error.description.isEmpty && !error.metricLabel.isEmpty)
            reading.ending = .rejected(error)
        } catch {
            preconditionFailure("the parsers threw \(error), which is not a ParseError")
        }
    }

    private mutating func advance() throws {
        while true {
            if current != nil {
                guard try readBody() else { return }
            }
            guard !pending.isEmpty else { return }
            let count = pending.count
            let result = try pending.withUnsafeBytes { try parser.parseHead($0) }
            guard case .complete(let head, let consumed) = result else { return }
            // The shortest head, "M / HTTP/1.0" and two CRLFs, has 16 bytes.
            precondition((16...count).contains(consumed), "head consumed \(consumed) of \(count) bytes")
            pending.removeFirst(consumed)
            let framing = try BodyFraming(head: head)
            switch framing {
            case .none:
                reading.requests.append(.init(head: head, framing: framing, body: []))
            case .contentLength(let length):
                precondition(length >= 0)
                current = BodyUnderWay(head: head, framing: framing, progress: .remaining(length))
            case .chunked:
                current = BodyUnderWay(
                    head: head, framing: framing, progress: .chunked(ChunkedBodyDecoder(limits: limits)))
            }
        }
    }

    /// Takes body bytes from `pending`; returns whether the body is complete.
    private mutating func readBody() throws -> Bool {
        guard var underWay = current else { return true }
        let available = pending.count
        let complete: Bool
        switch underWay.progress {
        case .remaining(let remaining):
            let taken = min(remaining, available)
            underWay.body += pending[..<taken]
            pending.removeFirst(taken)
            underWay.progress = .remaining(remaining - taken)
            complete = taken == remaining
        case .chunked(var decoder):
            let before = underWay.body.count
            let consumed = try pending.withUnsafeBytes { try decoder.decode($0, into: &underWay.body) }
            precondition((0...available).contains(consumed), "decoder consumed \(consumed) of \(available) bytes")
            precondition(underWay.body.count - before <= consumed, "more payload than bytes consumed")
            precondition(decoder.isComplete || consumed == available, "an incomplete body left bytes unread")
            pending.removeFirst(consumed)
            underWay.progress = .chunked(decoder)
            complete = decoder.isComplete
        }
        if complete {
            reading.requests.append(.init(head: underWay.head, framing: underWay.framing, body: underWay.body))
            current = nil
        } else {
            current = underWay
        }
        return complete
    }
}
