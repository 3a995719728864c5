// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// A `ResponseSink` for an exchange that runs on another event loop than its
/// client connection: calls made on the exchange's queue are carried, in
/// order, to the connection's queue, and backpressure is carried back.
///
/// `@unchecked Sendable` because its state is confined to `homeQueue` (the
/// exchange's) and `target` is touched only on `targetQueue` (the connection's).
final class HandOffSink: ResponseSink, @unchecked Sendable {
    var onClientGone: (() -> Void)?
    private let target: ResponseSink
    private let targetQueue: DispatchQueue
    private let homeQueue: DispatchQueue
    private let highWater: Int
    /// Body bytes handed to `targetQueue` and not yet given to the connection.
    private var bytesInTransit = 0
    /// Whether the connection's own buffer was over its limit when last heard of.
    private var targetBackedUp = false
    private var drainActions: [() -> Void] = []

    /// Runs on `targetQueue`, where the connection hands out its sink.
    init(target: ResponseSink, targetQueue: DispatchQueue, homeQueue: DispatchQueue, highWater: Int) {
        self.target = target
        self.targetQueue = targetQueue
        self.homeQueue = homeQueue
        self.highWater = highWater
        target.onClientGone = { [self] in
            homeQueue.async { [self] in onClientGone?() }
        }
    }

    var isBackedUp: Bool { bytesInTransit >= highWater || targetBackedUp }

    func sendHead(_ head: ResponseHead) {
        targetQueue.async { [self] in target.sendHead(head) }
    }

    func sendBody(_ bytes: UnsafeRawBufferPointer) {
        // curl's buffer is gone once its callback returns, so the bytes travel as a copy.
        let copy = [UInt8](bytes)
        bytesInTransit += copy.count
        targetQueue.async { [self] in
            copy.withUnsafeBytes { target.sendBody($0) }
            let backedUp = target.isBackedUp
            homeQueue.async { [self] in
                bytesInTransit -= copy.count
                targetBackedUp = backedUp
            }
        }
    }

    func whenDrained(_ action: @escaping () -> Void) {
        drainActions.append(action)
        targetQueue.async { [self] in
            target.whenDrained { [self] in
                homeQueue.async { [self] in
                    targetBackedUp = false
                    let actions = drainActions
                    drainActions.removeAll()
                    actions.forEach { $0() }
                }
            }
        }
    }

    func finish() {
        targetQueue.async { [self] in target.finish() }
    }

    func abort() {
        targetQueue.async { [self] in target.abort() }
    }
}
