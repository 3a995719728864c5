// SPDX-License-Identifier: Apache-2.0

/// Bounds on what one client connection may send and buffer.
public struct ConnectionLimits: Sendable, Equatable {
    /// Request head limits (see `ParserLimits`).
    public var parser: ParserLimits
    /// Largest request body accepted; larger ones get `413 body_too_large`. Default 64 MiB.
    /// Bodies are kept in memory so that a retry or a `401` replay can send them again.
    public var maxBodyBytes: Int
    /// Response bytes buffered for a slow client before the upstream transfer is paused. Default 256 KiB.
    public var outboundHighWater: Int

    public init(parser: ParserLimits = .default, maxBodyBytes: Int = 64 << 20, outboundHighWater: Int = 256 << 10) {
        self.parser = parser
        self.maxBodyBytes = maxBodyBytes
        self.outboundHighWater = outboundHighWater
    }

    public static let `default` = ConnectionLimits()
}
