// SPDX-License-Identifier: Apache-2.0

/// Reads `limits`: the bounds on client connections, each optional.
enum LimitsParser {
    static let keys = [
        "maxHeadBytes", "maxHeaderCount", "maxRequestLineBytes", "maxBodyBytes", "replayBufferBytes",
        "replayBudgetBytes", "responseBudgetBytes", "headTimeout", "idleTimeout", "maxConnections",
    ]

    static func parse(_ node: ConfigNode) throws(ConfigError) -> ConnectionLimits {
        let map = try node.map(allowedKeys: keys)
        var limits = ConnectionLimits()
        if let node = map["maxHeadBytes"] { limits.parser.maxHeadBytes = try positive(node, atLeast: 64) }
        if let node = map["maxHeaderCount"] { limits.parser.maxHeaderCount = try positive(node, atLeast: 1) }
        if let node = map["maxRequestLineBytes"] { limits.parser.maxRequestLineBytes = try positive(node, atLeast: 16) }
        if let node = map["maxBodyBytes"] { limits.maxBodyBytes = try positive(node, atLeast: 0) }
        if let node = map["replayBufferBytes"] { limits.replayBufferBytes = try positive(node, atLeast: 0) }
        if let node = map["replayBudgetBytes"] { limits.replayBudgetBytes = try positive(node, atLeast: 0) }
        if let node = map["responseBudgetBytes"] { limits.responseBudgetBytes = try positive(node, atLeast: 0) }
        if let node = map["headTimeout"] { limits.headTimeout = try node.seconds(positive: true) }
        if let node = map["idleTimeout"] { limits.idleTimeout = try node.seconds(positive: true) }
        if let node = map["maxConnections"] { limits.maxConnections = try positive(node, atLeast: 1) }
        return limits
    }

    private static func positive(_ node: ConfigNode, atLeast minimum: Int) throws(ConfigError) -> Int {
        let value = try node.integer("a whole number of at least \(minimum)")
        guard value >= minimum else { throw node.invalid("it must be at least \(minimum)") }
        return value
    }
}
