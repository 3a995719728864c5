// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// A value that may cross queues but is used only on the queue it belongs to: every
/// access asserts that queue (in debug builds), so confinement is checked, not only claimed.
/// This is how the loops' non-Sendable objects travel in the closures they post to themselves.
struct LoopBound<Value>: @unchecked Sendable {
    let queue: DispatchQueue
    private let value: Value

    init(_ value: Value, queue: DispatchQueue) {
        self.value = value
        self.queue = queue
    }

    /// The value, on its own queue.
    var local: Value {
        dispatchPrecondition(condition: .onQueue(queue))
        return value
    }

    /// Runs `body` with the value on its queue, later.
    func async(_ body: @escaping @Sendable (Value) -> Void) {
        queue.async { [self] in body(local) }
    }
}

/// A reference that does not keep its object alive: a wake-up for an object that may be gone.
final class WeakReference<Object: AnyObject> {
    weak var object: Object?

    init(_ object: Object) {
        self.object = object
    }
}
