// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc

@testable import TokenProxy

/// Serves one TLS connection on a loopback port with a `TLSServerSession`, blocking, on a
/// thread of its own: answers one HTTP request with `200 hello`, then closes with close_notify.
/// What a real client (curl) makes of the intercepting server.
final class OneShotTLSServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let done = DispatchSemaphore(value: 0)
    /// How the handshake ended; written by the server thread before `done` is signalled.
    private var outcome: Result<TLSServerSession.Handshake, TLSHandshakeFailure>?

    init(interception: Interception, host: String) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else { throw SystemError(operation: "bind", errno: errno) }
        port = Int(UInt16(bigEndian: address.sin_port))
        let leaf = try LeafMinter(authority: interception.authority).mint(for: LeafHost(host)!)
        Thread.detachNewThread { [self] in
            defer { done.signal() }
            let connection = accept(listener, nil, nil)
            guard connection >= 0, let session = interception.session(presenting: leaf) else { return }
            defer { close(connection) }
            outcome = serve(session, on: connection)
        }
    }

    deinit {
        // Wakes the thread should it still wait in accept (a test that failed before its client connected).
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// How the handshake ended, once the connection is over; nil when no client came within 30 s.
    func handshake() -> Result<TLSServerSession.Handshake, TLSHandshakeFailure>? {
        guard done.wait(timeout: .now() + 30) == .success else { return nil }
        return outcome
    }

    private func serve(_ session: TLSServerSession, on connection: Int32) -> Result<
        TLSServerSession.Handshake, TLSHandshakeFailure
    > {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var handshake: TLSServerSession.Handshake = .needsInput
        while handshake == .needsInput {
            guard receive(into: &buffer, session, from: connection) else { return .success(.needsInput) }
            do {
                handshake = try session.handshake()
            } catch {
                flush(session, to: connection)
                return .failure(error)
            }
            flush(session, to: connection)
        }
        var request: [UInt8] = []
        while !request.ends(with: Array("\r\n\r\n".utf8)) {
            guard case .plaintext(let count)? = try? buffer.withUnsafeMutableBytes({ try session.read(into: $0) })
            else {
                guard receive(into: &buffer, session, from: connection) else { return .success(handshake) }
                continue
            }
            request += buffer.prefix(count)
        }
        let response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
        try? Array(response.utf8).withUnsafeBytes { try session.write($0) }
        session.shutdown()
        flush(session, to: connection)
        return .success(handshake)
    }

    private func receive(into buffer: inout [UInt8], _ session: TLSServerSession, from connection: Int32) -> Bool {
        let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.withUnsafeBytes { session.receive(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        return true
    }

    private func flush(_ session: TLSServerSession, to connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while case let count = buffer.withUnsafeMutableBytes({ session.takeOutput(into: $0) }), count > 0 {
            _ = buffer.withUnsafeBytes { send(connection, $0.baseAddress, count, Int32(MSG_NOSIGNAL)) }
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
