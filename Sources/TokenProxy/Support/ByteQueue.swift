// SPDX-License-Identifier: Apache-2.0
import Glibc

/// A growable byte buffer read from the front: the inbound and outbound
/// buffers of a client connection. Consumed bytes are reclaimed lazily, when
/// they make up most of the storage, so consuming is O(1).
struct ByteQueue {
    private var storage: [UInt8] = []
    private var start = 0

    var count: Int { storage.count - start }
    var isEmpty: Bool { start == storage.count }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    mutating func append(_ text: String) {
        storage.append(contentsOf: text.utf8)
    }

    mutating func append(_ bytes: [UInt8]) {
        storage.append(contentsOf: bytes)
    }

    /// A non-negative number in decimal, or in another radix up to 16 (chunk sizes are hexadecimal).
    mutating func append(number value: Int, radix: Int = 10) {
        precondition(value >= 0, "negative numbers are not written")
        var divisor = 1
        while divisor <= value / radix { divisor *= radix }
        while divisor > 0 {
            let digit = UInt8(value / divisor % radix)
            storage.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            divisor /= radix
        }
    }

    /// Drops `count` bytes from the front.
    mutating func consume(_ count: Int) {
        precondition(count <= self.count, "consumed more than buffered")
        start += count
        if start == storage.count {
            // Small buffers are kept for the next request; a large one is given back, so that
            // a thousand idle connections do not each hold what their largest response needed.
            storage.removeAll(keepingCapacity: storage.capacity <= 16 * 1024)
            start = 0
        } else if start > 64 * 1024, start > storage.count / 2 {
            storage.removeFirst(start)
            start = 0
        }
    }

    func withUnsafeReadableBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start...])) }
    }

    /// Reads what the socket has, up to `scratch.count` bytes, through `scratch` (one per loop,
    /// so the queue's own storage grows only by what arrived); `.done(0)` means the peer closed its side.
    mutating func read(from socket: Int32, through scratch: UnsafeMutableRawBufferPointer) throws(SystemError)
        -> IOResult<Int>
    {
        let result = try systemCall("read") { Glibc.read(socket, scratch.baseAddress, scratch.count) }
        if case .done(let count) = result, count > 0 {
            storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
        }
        return result
    }

    /// Writes as much as the socket takes and consumes it; returns whether everything went out.
    mutating func write(to socket: Int32) throws(SystemError) -> Bool {
        while !isEmpty {
            let attempt = storage.withUnsafeBytes { bytes in
                Result { () throws(SystemError) in
                    try systemCall("send") {
                        send(socket, bytes.baseAddress! + start, bytes.count - start, Int32(MSG_NOSIGNAL))
                    }
                }
            }
            switch try attempt.get() {
            case .done(let sent): consume(sent)
            case .wouldBlock: return false
            }
        }
        return true
    }
}
