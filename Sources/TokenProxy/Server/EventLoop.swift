// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// One serial queue and what runs on it: the poller of its sockets, a curl multi
/// handle and the client connections given to the loop. token-proxy runs one
/// loop per core and spreads connections across them.
///
/// `@unchecked Sendable` because its parts are confined to `queue`; only the
/// references cross queues, to post work onto it.
final class EventLoop: @unchecked Sendable {
    let index: Int
    let queue: DispatchQueue
    let poller: SocketPoller
    let multi: CurlMulti
    let sweeper: ConnectionSweeper
    let requestMetrics = RequestMetrics()
    let exchanges = LiveExchanges()
    /// Where client sockets are read into before their bytes join a connection's buffer.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    init(index: Int) {
        self.index = index
        queue = DispatchQueue(label: "token-proxy.loop.\(index)")
        poller = SocketPoller(queue: queue, threadName: "tp-loop-\(index)")
        multi = CurlMulti(poller: poller)
        sweeper = ConnectionSweeper(queue: queue)
    }

    deinit {
        readBuffer.deallocate()
    }
}
