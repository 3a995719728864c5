// SPDX-License-Identifier: Apache-2.0

/// Where a client connection stands with a `CONNECT` tunnel, and what the tunnel's first bytes
/// and its leaf certificate mean for it: decided here, carried out by `ClientConnection`.
enum TunnelPhase {
    case none
    /// `200 Connection established` went out; the first bytes decide what the tunnel carries.
    case opening(TunnelGrant)
    /// The client started TLS; its leaf certificate is being minted.
    case awaitingLeaf(TunnelGrant)
    case open(Tunnel, TunnelGrant)

    /// What the connection does next about its tunnel.
    enum Step {
        /// Wait for more of the tunnel's first bytes.
        case needsBytes
        /// Serve the requests in the tunnel.
        case serve
        /// Get the leaf for `host`, then call `leafArrived`; meanwhile read nothing.
        case fetchLeaf(LeafHost, from: LeafCache)
        /// Start TLS with this session on the bytes read so far, then serve the requests in it.
        case startTLS(TLSServerSession)
        /// Close the connection, logging why.
        case end(because: String)
    }

    /// The tunnel requests come through, once it is open.
    var tunnel: Tunnel? {
        if case .open(let tunnel, _) = self { tunnel } else { nil }
    }

    /// Its first bytes are in, but what it carries is not settled yet: only the start of a ClientHello
    /// leaves it here (a plain request's first byte settles it), so a timeout now is the handshake's.
    var isOpening: Bool {
        switch self {
        case .opening, .awaitingLeaf: true
        case .none, .open: false
        }
    }

    var grant: TunnelGrant? {
        switch self {
        case .none: nil
        case .opening(let grant), .awaitingLeaf(let grant), .open(_, let grant): grant
        }
    }

    /// Plain HTTP is served as it is, TLS is intercepted when a CA is configured, anything else ends the tunnel.
    mutating func firstBytesArrived(_ opening: TunnelOpening) -> Step {
        guard case .opening(let grant) = self else { return .serve }
        switch opening {
        case .needsBytes:
            return .needsBytes
        case .plainHTTP:
            self = .open(Tunnel(authority: grant.authority, mode: .tunnel), grant)
            return .serve
        case .garbage:
            return .end(because: "the tunnel's first bytes are neither TLS nor HTTP")
        case .tlsClientHello:
            guard let interception = grant.interception else {
                return .end(
                    because: "the client started TLS in the tunnel, but TLS interception is not configured "
                        + "(intercept.ca; token-proxy ca init makes a CA)")
            }
            let host = grant.authority.host
            guard let leafHost = LeafHost(host.contains(":") ? "[\(host)]" : host) else {
                return .end(because: "no certificate can name the host \(host)")
            }
            self = .awaitingLeaf(grant)
            return .fetchLeaf(leafHost, from: interception.leaves)
        }
    }

    /// The leaf for the tunnel's host is ready, or could not be minted.
    mutating func leafArrived(_ result: Result<LeafCertificate, LeafMinter.Failure>) -> Step {
        guard case .awaitingLeaf(let grant) = self, let interception = grant.interception else {
            return .end(because: "a leaf certificate arrived for a tunnel not waiting for one")
        }
        switch result {
        case .failure(let failure):
            return .end(because: "no leaf certificate: \(failure)")
        case .success(let leaf):
            guard let session = interception.session(presenting: leaf) else {
                return .end(because: "libssl could not make a TLS session")
            }
            self = .open(Tunnel(authority: grant.authority, mode: .intercept), grant)
            return .startTLS(session)
        }
    }
}
