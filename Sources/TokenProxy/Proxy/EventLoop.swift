// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// One serial queue and the curl multi handle it drives. Client connections
/// and upstream transfers given to a loop are touched only on its queue.
/// token-proxy runs one loop per core and spreads connections across them.
final class EventLoop: Sendable {
    let index: Int
    let queue: DispatchQueue
    let multi: CurlMulti

    init(index: Int) {
        self.index = index
        queue = DispatchQueue(label: "token-proxy.loop.\(index)")
        multi = CurlMulti(queue: queue)
    }
}
