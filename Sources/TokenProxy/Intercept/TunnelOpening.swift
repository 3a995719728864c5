// SPDX-License-Identifier: Apache-2.0

/// What the first bytes of a `CONNECT` tunnel show the client wants: TLS, which
/// is intercepted, or plain HTTP, which is served as it is (undici sends `http://`
/// requests through tunnels too). Anything else closes the tunnel.
enum TunnelOpening: Equatable {
    /// A TLS handshake record (type 22, version 3.x): a ClientHello.
    case tlsClientHello
    /// A byte that may begin a method.
    case plainHTTP
    case garbage
    /// Not enough bytes yet to tell; the total needed.
    case needsBytes(Int)

    /// Classifies a tunnel by its first bytes, however few.
    static func classify(_ bytes: some Collection<UInt8>) -> TunnelOpening {
        guard let first = bytes.first else { return .needsBytes(1) }
        if HTTPByte.isToken(first) { return .plainHTTP }
        guard first == handshakeRecord else { return .garbage }
        guard bytes.count >= 3 else { return .needsBytes(3) }
        let version = Array(bytes.prefix(3).dropFirst())
        // SSL 3.0 to TLS 1.3 all write 3.x here (TLS 1.3 writes 3.1 for compatibility).
        return version[0] == 3 && version[1] <= 4 ? .tlsClientHello : .garbage
    }

    /// TLS record type 22.
    private static let handshakeRecord: UInt8 = 0x16
}
