// SPDX-License-Identifier: Apache-2.0

/// Writing responses: framing and keep-alive from `ResponseProgress`, bytes through the `ResponseWriter`.
extension ClientConnection: ResponseSink {
    func sendHead(_ head: ResponseHead) {
        guard !responseStarted else { return }
        let mustClose = responseStarting()
        updateProgress { progress, writer in
            if mustClose { progress.keepAlive = false }  // draining: tell the client before it sends more
            writer.withBuffer { progress.prepare(head, into: &$0) }
            writer.scheduleFlush { [self] in flush() }
        }
    }

    func sendInterim(_ head: ResponseHead) {
        guard !responseStarted else { return }
        updateProgress { progress, writer in
            guard progress.request?.version != .http1_0 else { return }
            writer.withBuffer { ResponseProgress.prepareInterim(head, into: &$0) }
            writer.scheduleFlush { [self] in flush() }
        }
    }

    var isBackedUp: Bool { writer.isBackedUp }

    func sendBody(_ bytes: UnsafeRawBufferPointer) {
        var appended = false
        guard responseStarted else { return }
        updateProgress { progress, writer in
            guard !bytes.isEmpty, progress.framing != .none else { return }
            writer.appendBody(bytes, chunked: progress.framing == .chunked)
            appended = true
        }
        guard appended else { return }
        if writer.shouldFlushNow { flush() } else { writer.scheduleFlush { [self] in flush() } }
    }

    func whenDrained(_ action: @escaping () -> Void) {
        writer.whenDrained(action)
    }

    func finish() {
        var keepAlive: Bool?
        updateProgress { progress, writer in
            if progress.framing == .chunked { writer.append("0\r\n\r\n") }
            keepAlive = progress.keepAlive
        }
        guard let keepAlive else { return }
        flush()
        responseDidFinish(keepAlive: keepAlive)
    }

    /// Writes out what is buffered (the head and the body so far, without an ending, so the response
    /// cannot look complete) as far as the socket takes it at once, then closes.
    func abort() {
        guard !isClosed else { return }
        writer.flushOnce()
        close()
    }
}
