// SPDX-License-Identifier: Apache-2.0
import Glibc

/// The byte stream under a client connection: the socket itself, or TLS over it once an
/// intercepted tunnel's handshake began. The connection reads and its `ResponseWriter`
/// writes plaintext through it; ciphertext never leaves this type.
///
/// Confined to the connection's loop queue.
final class ClientTransport {
    enum Failure: Error, CustomStringConvertible {
        case system(SystemError)
        case handshake(TLSHandshakeFailure)
        case session(TLSSessionFailure)

        var description: String {
            switch self {
            case .system(let error): "\(error)"
            case .handshake(let failure): "\(failure)"
            case .session(let failure): "\(failure)"
            }
        }
    }

    /// Plaintext encrypted per step: as much ciphertext at most waits here beyond the socket's
    /// buffer, while the rest of a response waits, counted, in the writer.
    private static let encryptionStep = 64 * 1024

    let socket: Int32
    private var session: TLSServerSession?
    /// The TLS handshake began and has not completed: no plaintext flows yet.
    private(set) var isHandshaking = false
    /// Ciphertext waiting for the socket.
    private var ciphertext = ByteQueue()

    init(socket: Int32) {
        self.socket = socket
    }

    /// Output waits for the socket (ciphertext, including handshake messages).
    var hasPendingOutput: Bool { !ciphertext.isEmpty || (session?.pendingOutput ?? 0) > 0 }

    /// Switches to TLS: `received` are the client's first bytes, already read as plaintext.
    func startTLS(_ session: TLSServerSession, received: UnsafeRawBufferPointer) throws(Failure) {
        self.session = session
        isHandshaking = true
        session.receive(received)
        try advanceHandshake()
    }

    /// Reads what the socket has into `inbound`, decrypted when TLS is on; `.done(0)` is the end of the
    /// client's input, a TLS read that completed no record is `.wouldBlock`.
    func read(into inbound: inout ByteQueue, through scratch: UnsafeMutableRawBufferPointer) throws(Failure)
        -> IOResult<Int>
    {
        guard let session else {
            do {
                return try inbound.read(from: socket, through: scratch)
            } catch {
                throw .system(error)
            }
        }
        let result: IOResult<Int>
        do {
            result = try systemCall("read") { Glibc.read(socket, scratch.baseAddress, scratch.count) }
        } catch {
            throw .system(error)
        }
        guard case .done(let count) = result else { return .wouldBlock }
        guard count > 0 else { return .done(0) }
        session.receive(UnsafeRawBufferPointer(rebasing: scratch[..<count]))
        if isHandshaking {
            try advanceHandshake()
            if isHandshaking { return .wouldBlock }
        }
        return try decrypt(into: &inbound, through: scratch)
    }

    /// Sends `plaintext` as far as the socket takes it, encrypting when TLS is on, and consumes what
    /// went; returns whether everything, handshake messages included, is out.
    func send(_ plaintext: inout ByteQueue) throws(Failure) -> Bool {
        guard let session else {
            do {
                return try plaintext.write(to: socket)
            } catch {
                throw .system(error)
            }
        }
        while true {
            takeOutput(of: session)
            do {
                guard try ciphertext.write(to: socket) else { return false }
            } catch {
                throw .system(error)
            }
            if plaintext.isEmpty || isHandshaking { return plaintext.isEmpty }
            let step = min(plaintext.count, Self.encryptionStep)
            let failure = plaintext.withUnsafeReadableBytes { bytes in
                Result { () throws(TLSSessionFailure) in
                    try session.write(UnsafeRawBufferPointer(rebasing: bytes[..<step]))
                }
            }
            if case .failure(let error) = failure { throw .session(error) }
            plaintext.consume(step)
        }
    }

    private func advanceHandshake() throws(Failure) {
        guard let session else { return }
        do {
            if case .completed = try session.handshake() { isHandshaking = false }
        } catch {
            throw .handshake(error)
        }
    }

    private func decrypt(into inbound: inout ByteQueue, through scratch: UnsafeMutableRawBufferPointer)
        throws(Failure) -> IOResult<Int>
    {
        guard let session else { return .wouldBlock }
        var total = 0
        while true {
            let read: TLSServerSession.Read
            do {
                read = try session.read(into: scratch)
            } catch {
                throw .session(error)
            }
            switch read {
            case .plaintext(let count):
                inbound.append(UnsafeRawBufferPointer(rebasing: scratch[..<count]))
                total += count
            case .needsInput:
                return total > 0 ? .done(total) : .wouldBlock
            case .closed:
                return .done(total)  // close_notify: whatever came before it, then the end
            }
        }
    }

    private func takeOutput(of session: TLSServerSession) {
        guard session.pendingOutput > 0 else { return }
        withUnsafeTemporaryAllocation(byteCount: 16 * 1024, alignment: 16) { buffer in
            while true {
                let count = session.takeOutput(into: buffer)
                guard count > 0 else { return }
                ciphertext.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
        }
    }
}
