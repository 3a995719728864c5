// SPDX-License-Identifier: Apache-2.0
import Logging

/// Who is at the other end of a client connection, as the kernel reported it at accept time.
enum ClientPeer: Equatable {
    /// A TCP peer.
    case ip(IPAddress, port: Int)
    /// A Unix-socket peer, with the credentials of the process that connected (`SO_PEERCRED`).
    case unixSocket(uid: UInt32, gid: UInt32)
    /// The address could not be read; served as no network allows it.
    case unknown

    /// Fields for the request log: the address, or the uid and gid of a Unix-socket peer.
    var logMetadata: Logger.Metadata {
        var fields = LogFields(capacity: 2)
        appendLogFields(to: &fields)
        return Dictionary(uniqueKeysWithValues: fields.entries.map { ($0.key, .string($0.value.description)) })
    }

    /// The fields of `logMetadata`, in key order.
    func appendLogFields(to fields: inout LogFields) {
        switch self {
        case .ip(let address, let port):
            fields.append("client", .text(address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"))
        case .unixSocket(let uid, let gid):
            fields.append("client.gid", .number(Int(gid)))
            fields.append("client.uid", .number(Int(uid)))
        case .unknown:
            fields.append("client", .text("-"))
        }
    }
}
