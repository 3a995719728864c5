// SPDX-License-Identifier: Apache-2.0
import Glibc

/// Where client apps connect (`listen`): a TCP `host:port`, or a Unix socket (`unix:/path`),
/// whose file permissions decide who may connect.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case tcp(HostPort)
    /// An absolute path.
    case unixSocket(path: String)

    public var description: String {
        switch self {
        case .tcp(let address): "\(address)"
        case .unixSocket(let path): "unix:\(path)"
        }
    }

    /// Whether only this machine (or pod) can reach the address: a loopback host, or a Unix socket.
    /// A name other than `localhost` counts as reachable from outside, since it may resolve to anything.
    var isLocalOnly: Bool {
        switch self {
        case .tcp(let address):
            address.host.lowercased() == "localhost" || IPAddress(parsing: address.host)?.isLoopback == true
        case .unixSocket:
            true
        }
    }
}

extension ListenAddress {
    /// `unix:/absolute/path`, else `host:port` as `HostPort(parsing:)` reads it.
    init(parsing text: String) throws(AddressError) {
        guard text.hasPrefix("unix:") else {
            self = .tcp(try HostPort(parsing: text))
            return
        }
        let path = String(text.dropFirst("unix:".count))
        guard path.hasPrefix("/") else { throw .relativeSocketPath }
        // sun_path holds the path and its terminating zero byte.
        let limit = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1
        guard path.utf8.count <= limit else { throw .socketPathTooLong(limit: limit) }
        self = .unixSocket(path: path)
    }
}
