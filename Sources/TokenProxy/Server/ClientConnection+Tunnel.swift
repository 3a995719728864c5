// SPDX-License-Identifier: Apache-2.0

/// `CONNECT` tunnels: the `200` answer, then what `TunnelPhase` decides from the first bytes
/// (plain HTTP, a TLS handshake with a leaf minted for the host, or the end of the tunnel).
extension ClientConnection {
    /// Answers an admitted `CONNECT`; what the client sends next decides what the tunnel carries.
    func answerConnect(_ grant: TunnelGrant) {
        machine.headReceived(hasBody: false, expectsContinue: false, at: .now)
        _ = machine.responseStarting()
        writer.append("HTTP/1.1 200 Connection established\r\n\r\n")
        tunnelPhase = .opening(grant)
        flush()
        responseDidFinish(keepAlive: true)
    }

    /// Carries out what the tunnel's phase decided.
    func carryOut(_ step: TunnelPhase.Step) {
        switch step {
        case .needsBytes:
            carryOut(machine.needsMoreBytes())
        case .serve:
            break
        case .fetchLeaf(let host, let leaves):
            let connection = LoopBound(WeakReference(self), queue: queue)
            leaves.leaf(for: host, on: queue) { result in
                guard let connection = connection.local.object, !connection.isClosed else { return }
                connection.carryOut(connection.tunnelPhase.leafArrived(result))
            }
        case .startTLS(let session):
            let started = inbound.withUnsafeReadableBytes { bytes in
                Result { () throws(ClientTransport.Failure) in try transport.startTLS(session, received: bytes) }
            }
            if case .failure(let error) = started {
                endTunnel(because: "\(error)")
                return
            }
            inbound.consume(inbound.count)
            flush()
            watch.watch(read: wantsInput, write: !writer.isEmpty)
        case .end(let reason):
            endTunnel(because: reason)
        }
    }

    /// Closes a tunnel that cannot serve requests, with the one log line that says why.
    func endTunnel(because reason: String, alert: String? = nil) {
        tunnelPhase.grant?.logClosed(because: reason, alert: alert, peer: peer)
        close()
    }
}
