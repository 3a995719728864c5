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
}

/// Where a client connection stands with a `CONNECT` tunnel.
enum TunnelPhase {
    case none
    /// `200 Connection established` went out; the first bytes decide what the tunnel carries.
    case opening(TunnelGrant)
    /// The client started TLS; its leaf certificate is being minted.
    case awaitingLeaf(TunnelGrant)
    case open(Tunnel, TunnelGrant)

    /// The tunnel requests come through, once it is open.
    var tunnel: Tunnel? {
        if case .open(let tunnel, _) = self { tunnel } else { nil }
    }

    var grant: TunnelGrant? {
        switch self {
        case .none: nil
        case .opening(let grant), .awaitingLeaf(let grant), .open(_, let grant): grant
        }
    }
}
