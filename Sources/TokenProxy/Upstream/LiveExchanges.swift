// SPDX-License-Identifier: Apache-2.0
import CoreMetrics
import Dispatch

/// The exchanges a loop is running: it owns them from start to summary, so that what is
/// in flight is visible (and counted) rather than kept alive by closures.
///
/// Confined to the loop's queue.
final class LiveExchanges {
    private var exchanges: [ObjectIdentifier: UpstreamExchange] = [:]
    /// `token_proxy_exchanges_in_flight`: upstream exchanges running now, over all loops.
    private let inFlight = Meter(label: "token_proxy_exchanges_in_flight")

    func insert(_ exchange: UpstreamExchange) {
        exchanges[ObjectIdentifier(exchange)] = exchange
        inFlight.increment()
    }

    func remove(_ exchange: UpstreamExchange) {
        guard exchanges.removeValue(forKey: ObjectIdentifier(exchange)) != nil else { return }
        inFlight.decrement()
    }
}

/// How a client connection stops the exchange that answers its request, on their shared loop.
/// Cancelling an exchange that has finished does nothing.
struct ExchangeCancellation {
    private weak var exchange: UpstreamExchange?

    init(_ exchange: UpstreamExchange) {
        self.exchange = exchange
    }

    func cancel() {
        exchange?.clientGone()
    }
}
