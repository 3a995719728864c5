// SPDX-License-Identifier: Apache-2.0

/// An incremental decoder of a chunked request body (RFC 9112 7.1): payload out, framing checked, trailer fields
/// checked by the header rules and discarded, every part bounded by `ParserLimits`.
///
/// Strict where parsers are known to disagree: a chunk size is hex digits only (no sign, no whitespace, no
/// `0x`), followed directly by `;` or CRLF; chunk data must be followed by exactly CRLF.
public struct ChunkedBodyDecoder: Sendable {
    private enum State: Sendable {
        /// Reading the hex digits of a chunk size.
        case size(digits: Int, value: Int)
        /// Skipping the chunk extensions, `;` included, of a chunk of `size` bytes.
        case extensions(bytes: Int, size: Int)
        /// After the CR that ends a chunk-size line.
        case sizeLineFeed(size: Int)
        case data(remaining: Int)
        case dataCarriageReturn
        case dataLineFeed
        /// After the last chunk; the trailer line being read is kept in `trailerLine`.
        case trailers
        case complete
    }

    private let limits: ParserLimits
    private var state = State.size(digits: 0, value: 0)
    private var trailerLine: [UInt8] = []
    private var trailerBytes = 0

    public init(limits: ParserLimits = .default) {
        self.limits = limits
    }

    /// Whether the last chunk and the trailer section have been read.
    public var isComplete: Bool {
        if case .complete = state { true } else { false }
    }

    /// Decodes as much of `input` as possible, appending payload bytes to `body`.
    ///
    /// Returns how many bytes of `input` were consumed. Until the body is complete that is all of them; the bytes
    /// after the end of the body are left for the next pipelined request. After an error the connection cannot
    /// be read further: answer with `error.status` and close it.
    public mutating func decode(_ input: UnsafeRawBufferPointer, into body: inout [UInt8]) throws(ParseError)
        -> Int
    {
        var index = 0
        while index < input.count {
            switch state {
            case .data(let remaining):
                let count = min(remaining, input.count - index)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<index + count]))
                index += count
                state = count == remaining ? .dataCarriageReturn : .data(remaining: remaining - count)
            case .trailers:
                index = try readTrailers(input, from: index)
            case .complete:
                return index
            default:
                try takeFramingByte(input[index])
                index += 1
            }
        }
        return index
    }

    /// Advances over one byte of a chunk-size line or of the CRLF after chunk data.
    private mutating func takeFramingByte(_ byte: UInt8) throws(ParseError) {
        switch state {
        case .size(let digits, let value):
            if let digit = Self.hexValue(byte) {
                guard digits < limits.maxChunkSizeDigits else {
                    throw .chunkSizeTooLong(limit: limits.maxChunkSizeDigits)
                }
                // value * 16 is a multiple of 16, so adding a digit cannot overflow once the product did not.
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 16)
                guard !overflow else { throw .invalidChunkSize }
                state = .size(digits: digits + 1, value: shifted + digit)
            } else if digits > 0, byte == HTTPByte.semicolon {
                try countExtensionByte(1, size: value)
            } else if digits > 0, byte == HTTPByte.cr {
                state = .sizeLineFeed(size: value)
            } else {
                throw digits > 0 && byte == HTTPByte.lf ? .bareLineFeed : .invalidChunkSize
            }
        case .extensions(let bytes, let size):
            if byte == HTTPByte.cr {
                state = .sizeLineFeed(size: size)
            } else if byte == HTTPByte.lf {
                throw .bareLineFeed
            } else if HTTPByte.isForbiddenControl(byte) {
                throw .invalidChunkExtension
            } else {
                try countExtensionByte(bytes + 1, size: size)
            }
        case .sizeLineFeed(let size):
            guard byte == HTTPByte.lf else { throw .bareCarriageReturn }
            state = size == 0 ? .trailers : .data(remaining: size)
        case .dataCarriageReturn:
            guard byte == HTTPByte.cr else { throw .missingCRLFAfterChunkData }
            state = .dataLineFeed
        case .dataLineFeed:
            guard byte == HTTPByte.lf else { throw .missingCRLFAfterChunkData }
            state = .size(digits: 0, value: 0)
        case .data, .trailers, .complete:
            preconditionFailure("decode(_:into:) handles \(state) in bulk")
        }
    }

    private mutating func countExtensionByte(_ bytes: Int, size: Int) throws(ParseError) {
        guard bytes <= limits.maxChunkExtensionBytes else {
            throw .chunkExtensionTooLong(limit: limits.maxChunkExtensionBytes)
        }
        state = .extensions(bytes: bytes, size: size)
    }

    /// Reads trailer bytes from `start` up to the end of the trailer section or of `input`; returns the index
    /// after the last byte read.
    private mutating func readTrailers(_ input: UnsafeRawBufferPointer, from start: Int) throws(ParseError) -> Int {
        var index = start
        while index < input.count {
            let byte = input[index]
            index += 1
            trailerBytes += 1
            guard trailerBytes <= limits.maxTrailerBytes else {
                throw .trailersTooLarge(limit: limits.maxTrailerBytes)
            }
            guard byte == HTTPByte.lf else {
                trailerLine.append(byte)
                continue
            }
            guard trailerLine.last == HTTPByte.cr else { throw .bareLineFeed }
            trailerLine.removeLast()
            if trailerLine.isEmpty {
                state = .complete
                return index
            }
            try Self.checkTrailerField(trailerLine)
            trailerLine.removeAll(keepingCapacity: true)
        }
        return index
    }

    /// Checks a trailer field by the header rules. (`withUnsafeBytes` only rethrows untyped, hence the `Result`.)
    private static func checkTrailerField(_ line: [UInt8]) throws(ParseError) {
        let result = line.withUnsafeBytes { buffer in
            Result { () throws(ParseError) in _ = try FieldLine(0..<buffer.count, in: buffer) }
        }
        try result.get()
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
