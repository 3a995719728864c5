// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Why a listener could not be opened.
public enum ListenerError: Error, Equatable, CustomStringConvertible {
    /// The host is not a numeric address or a name that resolves locally.
    case unresolvable(HostPort)
    /// The socket could not be bound or put into listening state.
    case cannotListen(ListenAddress, SystemError)
    /// A `unix:` listen path names a file that is not a socket.
    case notASocket(path: String)
    /// A `unix:` listen path names a socket that another process serves.
    case socketInUse(path: String)

    public var description: String {
        switch self {
        case .unresolvable(let address):
            return "cannot listen on \(address): the host is not a local address or name"
        case .cannotListen(let address, let error):
            return "cannot listen on \(address): \(error)"
        case .notASocket(let path):
            return
                "cannot listen on unix:\(path): the file exists and is not a socket; remove it or choose another path"
        case .socketInUse(let path):
            return "cannot listen on unix:\(path): another process serves that socket; stop it or choose another path"
        }
    }
}

extension Listener {
    static func bind(_ address: HostPort) throws(ListenerError) -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address.host, String(address.port), &hints, &results) == 0, let info = results else {
            throw .unresolvable(address)
        }
        defer { freeaddrinfo(results) }

        let socket = Glibc.socket(
            info.pointee.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw .cannotListen(.tcp(address), SystemError(operation: "socket", errno: errno)) }
        var one: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard Glibc.bind(socket, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let error = SystemError(operation: "bind", errno: errno)
            close(socket)
            throw .cannotListen(.tcp(address), error)
        }
        guard listen(socket, SOMAXCONN) == 0 else {
            let error = SystemError(operation: "listen", errno: errno)
            close(socket)
            throw .cannotListen(.tcp(address), error)
        }
        return socket
    }

    static func localPort(of socket: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(socket, $0, &length) }
        }
        let portBigEndian = withUnsafeBytes(of: storage) { bytes in
            // sin_port and sin6_port both sit right after the 2-byte family.
            bytes.load(fromByteOffset: 2, as: UInt16.self)
        }
        return Int(UInt16(bigEndian: portBigEndian))
    }
}
