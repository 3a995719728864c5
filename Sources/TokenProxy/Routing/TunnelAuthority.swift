// SPDX-License-Identifier: Apache-2.0

/// The host and port a client opened a tunnel to with `CONNECT`. The requests inside the tunnel
/// must name the same authority: a client cannot reach one route through another's tunnel.
struct TunnelAuthority: Equatable, Sendable, CustomStringConvertible {
    /// Lower-cased, as `RequestTarget` normalises hosts.
    let host: String
    let port: Int

    /// Reads the authority form of a `CONNECT` target, `host:port` or `[v6]:port`; the port is required.
    init(connectTarget target: String) throws(ProxyError) {
        let (host, port) = try RequestTarget.splitAuthority(Substring(target))
        guard let port, !host.isEmpty else {
            throw .badRequest("CONNECT needs host:port, not '\(target)'")
        }
        self.host = host
        self.port = port
    }

    /// Whether a request inside the tunnel names this authority; one without a port names `defaultPort`
    /// (80 for plain HTTP in the tunnel).
    func isNamed(by target: RequestTarget, defaultPort: Int) -> Bool {
        target.host == host && (target.port ?? defaultPort) == port
    }

    var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
