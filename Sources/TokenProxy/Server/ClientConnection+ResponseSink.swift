// SPDX-License-Identifier: Apache-2.0

/// Writing responses: framing, buffering and backpressure toward the client app.
extension ClientConnection: ResponseSink {
    func sendHead(_ head: ResponseHead) {
        guard case .responding(var progress) = state, !progress.headSent else { return }
        if closeAfterResponse { progress.keepAlive = false }  // draining: tell the client before it sends more
        progress.prepare(head, into: &outbound)
        progress.headSent = true
        state = .responding(progress)
        scheduleFlush()
    }

    var isBackedUp: Bool { outbound.count >= limits.outboundHighWater }

    func sendBody(_ bytes: UnsafeRawBufferPointer) {
        guard case .responding(let progress) = state, progress.headSent, !bytes.isEmpty else { return }
        switch progress.framing {
        case .none:
            return
        case .chunked:
            outbound.append(number: bytes.count, radix: 16)
            outbound.append("\r\n")
            outbound.append(bytes)
            outbound.append("\r\n")
        case .contentLength, .untilClose:
            outbound.append(bytes)
        }
        if outbound.count >= Self.coalescingLimit { flush() } else { scheduleFlush() }
    }

    /// Bytes gathered before they are written at once; smaller amounts wait for the end of the
    /// current loop turn, so that a head and its body leave in one segment.
    private static let coalescingLimit = 64 * 1024

    /// Flushes once the current loop turn is over (curl often hands head and body in one turn).
    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        queue.async { [self] in
            flushScheduled = false
            flush()
        }
    }

    func whenDrained(_ action: @escaping () -> Void) {
        if outbound.isEmpty {
            action()
        } else {
            drainActions.append(action)
        }
    }

    func finish() {
        guard case .responding(let progress) = state else { return }
        if progress.framing == .chunked {
            outbound.append("0\r\n\r\n")
        }
        flush()
        responseDidFinish(keepAlive: progress.keepAlive)
    }

    /// Writes out what is buffered (the head and the body so far, without an ending, so the response
    /// cannot look complete) as far as the socket takes it at once, then closes.
    func abort() {
        if case .closed = state { return }
        _ = try? outbound.write(to: watch.socket)
        close()
    }

    /// Writes what the socket takes; watches for writability while bytes remain.
    func flush() {
        if case .closed = state { return }
        do {
            let pending = outbound.count
            let drained = try outbound.write(to: watch.socket)
            bytesSent += pending - outbound.count
            watch.watch(read: wantsInput, write: !drained)
            guard drained else { return }
            if case .closing = state {
                close()
                return
            }
            guard !drainActions.isEmpty else { return }
            // Never from inside the curl callback that may have called this flush: resuming there re-enters curl.
            queue.async { [self] in
                let actions = drainActions
                drainActions.removeAll()
                actions.forEach { $0() }
            }
        } catch {
            close()
        }
    }
}
