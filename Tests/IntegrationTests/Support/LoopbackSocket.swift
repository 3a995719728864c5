// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking IPv4 TCP socket on 127.0.0.1, closed when it is released.
///
/// Blocking is what a test wants here: it writes exact bytes and waits for the
/// answer. Receive timeouts bound every wait, so a silent peer fails the test
/// instead of hanging it.
final class LoopbackSocket {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Connects to `127.0.0.1:port`; reads wait at most `timeout`. With `source` (another loopback
    /// address, such as 127.0.0.2) the connection comes from that address.
    static func connect(port: Int, timeout: Duration, from source: String? = nil) throws -> LoopbackSocket {
        let socket = try LoopbackSocket(descriptor: newDescriptor())
        if let source {
            var local = loopbackAddress(port: 0)
            guard inet_pton(AF_INET, source, &local.sin_addr) == 1 else {
                throw HarnessError.socket(operation: "parse source address \(source)", errno: EINVAL)
            }
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw HarnessError.socket(operation: "bind \(source)", errno: errno) }
        }
        var address = loopbackAddress(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw HarnessError.socket(operation: "connect to port \(port)", errno: errno) }
        var time = timeval(
            tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(socket.descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket.descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        return socket
    }

    /// Binds `port` (0: the kernel chooses) and returns the port bound; the socket closes on release.
    static func bind(port: Int) throws -> (socket: LoopbackSocket, port: Int) {
        let socket = try LoopbackSocket(descriptor: newDescriptor())
        var address = loopbackAddress(port: port)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                Glibc.bind(socket.descriptor, pointer, length) == 0
                    && getsockname(socket.descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessError.socket(operation: "bind 127.0.0.1:\(port)", errno: errno) }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw HarnessError.socket(operation: "send", errno: errno)
            }
            sent += result
        }
    }

    /// The next bytes from the peer, at most `limit`; empty when the peer closed its side.
    func receive(limit: Int = 64 * 1024) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let result = buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, limit, 0) }
            if result >= 0 { return Array(buffer[..<result]) }
            if errno == EINTR { continue }
            let operation = errno == EAGAIN || errno == EWOULDBLOCK ? "receive (timed out)" : "receive"
            throw HarnessError.socket(operation: operation, errno: errno)
        }
    }

    /// Half-closes: the peer reads end-of-stream, replies can still arrive.
    func shutdownSending() {
        Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    private static func newDescriptor() throws -> Int32 {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError.socket(operation: "socket", errno: errno) }
        return descriptor
    }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(INADDR_LOOPBACK).bigEndian
        return address
    }
}
