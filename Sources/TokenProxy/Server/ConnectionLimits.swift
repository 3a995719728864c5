// SPDX-License-Identifier: Apache-2.0

/// Bounds on what client connections may send, buffer and hold (`limits`).
public struct ConnectionLimits: Sendable, Equatable {
    /// Request head limits: `maxHeadBytes` (64 KiB), `maxHeaderCount` (100),
    /// `maxRequestLineBytes` (8 KiB); over them: `431 headers_too_large`.
    public var parser: ParserLimits
    /// Largest request body accepted; larger ones get `413 body_too_large`. Default: no limit.
    public var maxBodyBytes: Int?
    /// A request body up to this size is kept while it is sent, so that a retry or a `401` replay can
    /// send it again; a larger one streams and is sent once. Default 1 MiB.
    public var replayBufferBytes: Int
    /// All bodies kept for replay together, process-wide; past it, bodies stream and are sent once. Default 32 MiB.
    public var replayBudgetBytes: Int
    /// Time a client has to send a complete request head once it started one, and the longest
    /// pause while it sends a body; then `408 request_timeout` and the connection closes. Default 10 s.
    public var headTimeout: Duration
    /// How long a keep-alive connection may sit idle between requests before it is closed. Default 60 s.
    public var idleTimeout: Duration
    /// Client connections open at once; one more gets `503 too_many_connections` and is closed. Default 1024.
    public var maxConnections: Int
    /// Response bytes buffered for a slow client before the upstream transfer is paused. Default 256 KiB.
    public var outboundHighWater: Int
    /// Response bytes buffered for all clients together, process-wide; past it, each connection holds at
    /// most one chunk before its transfer pauses. Default 32 MiB.
    public var responseBudgetBytes: Int

    public init(
        parser: ParserLimits = .default, maxBodyBytes: Int? = nil, replayBufferBytes: Int = 1 << 20,
        replayBudgetBytes: Int = 32 << 20, headTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60), maxConnections: Int = 1024, outboundHighWater: Int = 256 << 10,
        responseBudgetBytes: Int = 32 << 20
    ) {
        self.parser = parser
        self.maxBodyBytes = maxBodyBytes
        self.replayBufferBytes = replayBufferBytes
        self.replayBudgetBytes = replayBudgetBytes
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.outboundHighWater = outboundHighWater
        self.responseBudgetBytes = responseBudgetBytes
    }

    /// Request body bytes received from a client and not yet taken by the upstream; past it,
    /// reading from that client pauses.
    static let uploadWindow = 64 * 1024

    public static let `default` = ConnectionLimits()
}
