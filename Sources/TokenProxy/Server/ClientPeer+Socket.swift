// SPDX-License-Identifier: Apache-2.0
import Glibc

extension ClientPeer {
    /// The peer of an accepted `socket` whose address `accept` filled in.
    init(socket: Int32, address: sockaddr_storage) {
        switch Int32(address.ss_family) {
        case AF_INET:
            self = withUnsafeBytes(of: address) { raw in
                let v4 = raw.load(as: sockaddr_in.self)
                let bytes = withUnsafeBytes(of: v4.sin_addr) { Array($0) }
                return .ip(IPAddress(bytes: bytes), port: Int(UInt16(bigEndian: v4.sin_port)))
            }
        case AF_INET6:
            self = withUnsafeBytes(of: address) { raw in
                let v6 = raw.load(as: sockaddr_in6.self)
                let bytes = withUnsafeBytes(of: v6.sin6_addr) { Array($0) }
                return .ip(IPAddress(bytes: bytes), port: Int(UInt16(bigEndian: v6.sin6_port)))
            }
        case AF_UNIX:
            var credentials = PeerCredentials()
            var length = socklen_t(MemoryLayout<PeerCredentials>.size)
            guard getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else {
                self = .unknown
                return
            }
            self = .unixSocket(uid: credentials.uid, gid: credentials.gid)
        default:
            self = .unknown
        }
    }
}

/// Linux's `struct ucred`, which `SO_PEERCRED` fills in; Swift's Glibc module leaves it out
/// (it needs `_GNU_SOURCE`), and its layout is fixed by the kernel ABI.
private struct PeerCredentials {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
