// SPDX-License-Identifier: Apache-2.0

/// Request bodies: read from the client into a `RequestBody` as far as it has room, with
/// `100 Continue` once the upstream asks for the body.
extension ClientConnection {
    /// A request body still arriving from the client.
    struct Upload {
        var reader: BodyReader
        let body: RequestBody
    }

    func makeBody(framing: BodyFraming, expectsContinue: Bool) -> RequestBody {
        var length: Int?
        if case .contentLength(let value) = framing { length = value }
        let body = RequestBody(
            length: length, replayLimit: limits.replayBufferBytes, window: ConnectionLimits.uploadWindow,
            budget: budgets.replay)
        let connection = LoopBound(WeakReference(self), queue: queue)
        body.onRoom { connection.async { $0.object?.roomForBody() } }
        if expectsContinue {
            // The upstream's first read says the route can take the body.
            body.onFirstDemand { connection.async { $0.object?.sendContinue() } }
        }
        return body
    }

    /// Moves buffered body bytes into the request's body, as far as it has room.
    func readBody() throws {
        guard var upload else { return }
        guard upload.body.hasRoom else {
            machine.bodyLacksRoom()
            watch.watch(read: false, write: !writer.isEmpty)
            return
        }
        let done = try inbound.withUnsafeReadableBytes { bytes in
            let (consumed, done) = try upload.reader.read(bytes, into: upload.body)
            inbound.consume(consumed)
            return done
        }
        if done {
            upload.body.finish()
            self.upload = nil
            machine.bodyCompleted()
            processAgain = true  // a finished response may be waiting for the body's end
        } else {
            self.upload = upload
            if inbound.isEmpty { carryOut(machine.needsMoreBytes()) }
        }
    }

    private func roomForBody() {
        guard machine.bodyHasRoom(at: .now) else { return }
        watch.watch(read: wantsInput, write: !writer.isEmpty)
        processInbound()
    }

    private func sendContinue() {
        guard machine.upstreamWantsBody() else { return }
        writer.append("HTTP/1.1 100 Continue\r\n\r\n")
        flush()
    }
}
