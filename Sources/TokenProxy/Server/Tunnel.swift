// SPDX-License-Identifier: Apache-2.0
import Logging

/// How a request reached token-proxy: as a plain proxy request, in a `CONNECT` tunnel carrying
/// plain HTTP, or in a tunnel whose TLS token-proxy terminated. Request logs say which.
enum ServingMode: String, Sendable {
    case plain
    case tunnel
    case intercept
}

/// A `CONNECT` tunnel a client connection carries, once its first bytes showed what it carries.
struct Tunnel: Equatable, Sendable {
    let authority: TunnelAuthority
    /// `.tunnel` or `.intercept`.
    let mode: ServingMode

    /// The port a request inside means when it names none: the default of its scheme.
    var defaultPort: Int { mode == .intercept ? 443 : 80 }
}

/// What a `CONNECT` the handler admitted grants: the tunnel's authority, the CA that intercepts TLS in
/// it (nil: a tunnel that starts TLS is closed), and where the tunnel's failures are logged.
struct TunnelGrant {
    let authority: TunnelAuthority
    let interception: Interception?
    let logger: Logger

    /// The one log line of a tunnel that ends without serving (further) requests.
    func logClosed(because reason: String, alert: String?, peer: ClientPeer) {
        var metadata: Logger.Metadata = ["tunnel": "\(authority)", "reason": "\(reason)"]
        if let alert { metadata["alert"] = "\(alert)" }
        logger.info("tunnel closed", metadata: metadata.merging(peer.logMetadata) { $1 })
    }
}
