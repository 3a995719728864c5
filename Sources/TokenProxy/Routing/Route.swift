// SPDX-License-Identifier: Apache-2.0

/// A route ready to serve: its configuration, where its token comes from, and
/// how curl reaches its upstream. Shared by every event loop; immutable, and a
/// class so that each request holds one reference rather than a copy of it all.
final class Route: Sendable {
    let configuration: RouteConfiguration
    let credentials: CredentialSource
    let connection: UpstreamConnection
    /// Origin and base path, to which a request's path is appended.
    private let upstreamBase: String

    init(configuration: RouteConfiguration, credentials: CredentialSource, connection: UpstreamConnection) {
        self.configuration = configuration
        self.credentials = credentials
        self.connection = connection
        upstreamBase = configuration.upstream.origin + configuration.upstream.basePath
    }

    var name: String { configuration.name }

    /// The bound of one try for a request path: the shorter of `connectionTimeout`
    /// and the timeout of the longest matching `endpoints` prefix.
    func timeout(forPath path: String) -> Duration {
        let endpoint = configuration.endpoints
            .filter { path.hasPrefix($0.pathPrefix) }
            .max { $0.pathPrefix.count < $1.pathPrefix.count }
        return min(configuration.connectionTimeout, endpoint?.timeout ?? configuration.connectionTimeout)
    }

    /// The upstream URL for a client's path and query.
    func upstreamURL(for pathAndQuery: String) -> String {
        upstreamBase + pathAndQuery
    }
}
