// SPDX-License-Identifier: Apache-2.0

/// The bytes on their way to one client: buffered, coalesced within a loop turn, written as far
/// as the socket takes them, with the actions that wait for the buffer to drain (backpressure).
///
/// The writer is backed up past its own high-water mark, and also, while it holds anything, once
/// the responses of all connections together fill the process-wide budget: each connection can
/// always take one chunk, so none starves, and the total stays within the budget plus a chunk
/// per connection.
///
/// Confined to the connection's loop queue.
final class ResponseWriter {
    enum FlushResult {
        case drained
        case pending
        case failed
    }

    /// Bytes gathered before they are written at once; smaller amounts wait for the end of the
    /// current loop turn, so that a head and its body leave in one segment.
    static let coalescingLimit = 64 * 1024

    private let poller: SocketPoller
    private let transport: ClientTransport
    private let highWater: Int
    private let budget: BufferBudget
    private var buffer = ByteQueue()
    /// The part of `buffer` counted against the budget.
    private var charged = 0
    private var drainActions: [() -> Void] = []
    private var flushScheduled = false
    /// Bytes written to the client, reported to metrics at close.
    private(set) var bytesSent = 0

    init(transport: ClientTransport, poller: SocketPoller, highWater: Int, budget: BufferBudget) {
        self.transport = transport
        self.poller = poller
        self.highWater = highWater
        self.budget = budget
    }

    /// Nothing waits for the client, TLS handshake messages included.
    var isEmpty: Bool { buffer.isEmpty && !transport.hasPendingOutput }
    var isBackedUp: Bool { buffer.count >= highWater || (!buffer.isEmpty && budget.isExhausted) }

    func append(_ text: String) {
        buffer.append(text)
        settleBudget()
    }

    /// Appends body bytes, as one chunk when `chunked`.
    func appendBody(_ bytes: UnsafeRawBufferPointer, chunked: Bool) {
        if chunked {
            buffer.append(number: bytes.count, radix: 16)
            buffer.append("\r\n")
            buffer.append(bytes)
            buffer.append("\r\n")
        } else {
            buffer.append(bytes)
        }
        settleBudget()
    }

    /// Runs `prepare` to write a response head straight into the buffer.
    func withBuffer(_ prepare: (inout ByteQueue) -> Void) {
        prepare(&buffer)
        settleBudget()
    }

    /// Whether enough is buffered to write now rather than at the end of the loop turn.
    var shouldFlushNow: Bool { buffer.count >= Self.coalescingLimit }

    /// Calls `flush` once the current loop turn is over (curl often hands head and body in one turn).
    func scheduleFlush(_ flush: @escaping () -> Void) {
        guard !flushScheduled else { return }
        flushScheduled = true
        poller.afterTurn { [self] in
            flushScheduled = false
            flush()
        }
    }

    /// Writes what the socket takes; once all is out, runs the drain actions after the current call returns
    /// (never from inside the curl callback that may have called this: resuming there re-enters curl).
    func flush() -> FlushResult {
        do {
            let pending = buffer.count
            let drained = try transport.send(&buffer)
            bytesSent += pending - buffer.count
            settleBudget()
            guard drained else { return .pending }
            if !drainActions.isEmpty {
                poller.afterTurn { [self] in
                    let actions = drainActions
                    drainActions.removeAll()
                    actions.forEach { $0() }
                }
            }
            return .drained
        } catch {
            return .failed
        }
    }

    /// Writes once what the socket takes at once, ignoring failures: the connection is ending.
    func flushOnce() {
        _ = try? transport.send(&buffer)
    }

    func whenDrained(_ action: @escaping () -> Void) {
        if isEmpty {
            action()
        } else {
            drainActions.append(action)
        }
    }

    /// The connection closed: drops what is buffered and the actions waiting for a drain that will not come.
    func discard() {
        drainActions.removeAll()
        buffer = ByteQueue()
        settleBudget()
    }

    private func settleBudget() {
        let change = buffer.count - charged
        if change > 0 { budget.charge(change) } else if change < 0 { budget.release(-change) }
        charged = buffer.count
    }
}
