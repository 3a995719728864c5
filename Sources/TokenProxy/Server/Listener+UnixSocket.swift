// SPDX-License-Identifier: Apache-2.0
import Glibc

extension Listener {
    /// Binds a Unix socket at `path` with the permission bits `mode`, and listens.
    ///
    /// A socket file left by an earlier run that nobody serves any more is replaced; one that
    /// another process still serves, or a file that is not a socket, is an error.
    static func bindUnixSocket(at path: String, mode: Int) throws(ListenerError) -> Int32 {
        let address = ListenAddress.unixSocket(path: path)
        try removeStaleSocketFile(at: path)
        let socket = Glibc.socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw .cannotListen(address, SystemError(operation: "socket", errno: errno)) }
        var name = socketAddress(path)
        let bound = withUnsafePointer(to: &name) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        // The mode is set before listen(): until then a connect is refused, so no peer slips in under
        // the permissions the umask gave the new file.
        let failure: SystemError? =
            if bound != 0 {
                SystemError(operation: "bind", errno: errno)
            } else if chmod(path, mode_t(mode)) != 0 {
                SystemError(operation: "chmod", errno: errno)
            } else if listen(socket, SOMAXCONN) != 0 {
                SystemError(operation: "listen", errno: errno)
            } else {
                nil
            }
        if let failure {
            close(socket)
            if bound == 0 { removeSocketFile(at: path) }
            throw .cannotListen(address, failure)
        }
        return socket
    }

    static func removeSocketFile(at path: String) {
        unlink(path)
    }

    /// Removes a socket file at `path` that no process listens on. A process that listens takes the
    /// probe's connect, or refuses it with `EAGAIN` when its backlog is full.
    private static func removeStaleSocketFile(at path: String) throws(ListenerError) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }  // no file: nothing to replace
        guard status.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path: path) }
        let probe = Glibc.socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return }
        defer { close(probe) }
        var name = socketAddress(path)
        let connected = withUnsafePointer(to: &name) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 || errno == EAGAIN { throw .socketInUse(path: path) }
        removeSocketFile(at: path)
    }

    /// `path` as a `sockaddr_un`; the configuration checked that it fits.
    private static func socketAddress(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            let bytes = Array(path.utf8.prefix(buffer.count - 1))
            buffer.copyBytes(from: bytes)
        }
        return address
    }
}
