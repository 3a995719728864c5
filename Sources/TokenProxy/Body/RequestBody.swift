// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A request body on its way from the client connection to curl's read callback, in bounded memory.
///
/// The connection appends what it decodes; the upstream transfer reads it, possibly on another
/// loop, so the state is behind a lock and each side is woken through a closure it installed
/// (which posts to its own queue). A body that fits the replay buffer and the process's
/// `BufferBudget` is kept whole, so that a retry or a `401` replay can send it again. A larger
/// one keeps only the bytes not yet sent, at most `window`, and can be sent once: while the
/// upstream does not take them, the connection stops reading from the client.
final class RequestBody: @unchecked Sendable {
    enum ReadResult: Equatable {
        /// This many bytes were copied.
        case bytes(Int)
        /// Nothing to send yet; the reader is woken when there is.
        case wait
        /// The whole body has been read.
        case end
        /// The client went away or sent a malformed body: the upload must fail.
        case abandoned
    }

    /// The body's `Content-Length`; nil for a chunked body.
    let length: Int?
    private let replayLimit: Int
    private let window: Int
    private let budget: BufferBudget
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    /// Index in `buffer` of the next byte to hand upstream.
    private var next = 0
    /// Whether every byte received is still in `buffer`, so reading can start over.
    private var keepsWhole = true
    private var reserved = 0
    private var received = 0
    private var handedOut = 0
    private var isComplete = false
    private var isAbandoned = false
    private var isReleased = false
    private var readerWaits = false
    private var writerWaits = false
    private var wakeReader: (() -> Void)?
    private var wakeWriter: (() -> Void)?
    private var firstDemand: (() -> Void)?

    init(length: Int?, replayLimit: Int, window: Int, budget: BufferBudget) {
        self.length = length
        self.replayLimit = replayLimit
        self.window = window
        self.budget = budget
        if let length, length <= replayLimit { buffer.reserveCapacity(length) }
    }

    deinit {
        budget.release(reserved)
    }

    // MARK: The client connection's side

    /// Runs `action` (on the reader's side of the lock) once, the first time upstream asks for bytes:
    /// the moment to answer `Expect: 100-continue`.
    func onFirstDemand(_ action: @escaping () -> Void) {
        lock.withLock { firstDemand = action }
    }

    /// Installs how the connection is woken when room frees up after `hasRoom` said no.
    func onRoom(_ wake: @escaping () -> Void) {
        lock.withLock { wakeWriter = wake }
    }

    /// Whether the connection may append more now. When not, it stops reading from the client
    /// until the closure given to `onRoom` runs.
    var hasRoom: Bool {
        lock.withLock {
            let room = keepsWhole || isReleased || buffer.count - next < window
            writerWaits = !room
            return room
        }
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        let wake = lock.withLock { () -> (() -> Void)? in
            guard !isReleased, !bytes.isEmpty else { return nil }
            received += bytes.count
            if keepsWhole, !(received <= replayLimit && budget.reserve(bytes.count)) {
                stopKeepingWhole()
            } else if keepsWhole {
                reserved += bytes.count
            }
            buffer.append(contentsOf: bytes)
            return takeReaderWake()
        }
        wake?()
    }

    /// The last byte has been appended.
    func finish() {
        let wake = lock.withLock { () -> (() -> Void)? in
            isComplete = true
            return takeReaderWake()
        }
        wake?()
    }

    /// The body cannot be completed (the client left, or its framing broke): the upload fails.
    func abandon() {
        let wake = lock.withLock { () -> (() -> Void)? in
            isAbandoned = true
            return takeReaderWake()
        }
        wake?()
    }

    // MARK: The upstream transfer's side

    /// Installs how the reader is woken after `read` answered `.wait`.
    func onReadable(_ wake: @escaping () -> Void) {
        lock.withLock { wakeReader = wake }
    }

    /// Copies the next bytes into `destination`.
    func read(into destination: UnsafeMutableRawBufferPointer) -> ReadResult {
        var demand: (() -> Void)?
        var wake: (() -> Void)?
        let result = lock.withLock { () -> ReadResult in
            demand = firstDemand
            firstDemand = nil
            if isAbandoned { return .abandoned }
            let available = buffer.count - next
            guard available > 0 else {
                if isComplete { return .end }
                readerWaits = true
                return .wait
            }
            let count = min(available, destination.count)
            buffer.withUnsafeBytes {
                destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[next..<next + count]))
            }
            next += count
            handedOut += count
            if !keepsWhole { dropSentBytes() }
            if writerWaits, buffer.count - next < window {
                writerWaits = false
                wake = wakeWriter
            }
            return .bytes(count)
        }
        demand?()
        wake?()
        return result
    }

    /// Whether the body can be sent again from its first byte: it was kept whole, or nothing was sent yet.
    var canRewind: Bool {
        lock.withLock { keepsWhole || handedOut == 0 }
    }

    /// Starts reading over from the first byte; returns false when the body was not kept.
    func rewind() -> Bool {
        lock.withLock {
            guard keepsWhole || handedOut == 0 else { return false }
            next = 0
            return true
        }
    }

    /// The exchange is over: drop what is held, and the wake-ups (which may hold their owners). Later appends are
    /// discarded, and the connection never waits.
    func release() {
        let wake = lock.withLock { () -> (() -> Void)? in
            isReleased = true
            buffer = []
            next = 0
            budget.release(reserved)
            reserved = 0
            let wake = writerWaits ? wakeWriter : nil
            writerWaits = false
            (wakeReader, wakeWriter, firstDemand) = (nil, nil, nil)
            return wake
        }
        wake?()
    }

    // MARK: Under the lock

    private func stopKeepingWhole() {
        keepsWhole = false
        budget.release(reserved)
        reserved = 0
        dropSentBytes()
    }

    private func dropSentBytes() {
        if next == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 2 * window)
            next = 0
        } else if next >= window / 2 {
            buffer.removeFirst(next)
            next = 0
        }
    }

    private func takeReaderWake() -> (() -> Void)? {
        guard readerWaits else { return nil }
        readerWaits = false
        return wakeReader
    }
}
