// SPDX-License-Identifier: Apache-2.0
import Foundation
import Glibc

/// The stdout lines written during one poller's current turn (see `StandardOutputLines`).
///
/// The thread running the turn appends; any thread may flush (exit paths), hence the lock.
/// `@unchecked Sendable`: `pending` and the registry are touched under their `NSLock`s only
/// (locks ThreadSanitizer follows, which it does not for `Synchronization.Mutex` on Linux).
final class LineBatch: @unchecked Sendable {
    /// A turn that writes this much flushes at once rather than hold more.
    private static let flushThreshold = 64 * 1024

    private let lock = NSLock()
    private var pending: [UInt8] = []

    init() {
        Self.registryLock.withLock {
            Self.registry.removeAll { $0.batch == nil }
            Self.registry.append(WeakBatch(batch: self))
        }
    }

    /// Runs `turn` with this batch taking the lines its thread writes, then writes them in one go.
    func gathering(_ turn: () -> Void) {
        let outer = pthread_getspecific(Self.currentKey)
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        turn()
        pthread_setspecific(Self.currentKey, outer)
        flush()
    }

    func append(_ line: UnsafeRawBufferPointer) {
        let isFull = lock.withLock {
            pending.append(contentsOf: line)
            return pending.count >= Self.flushThreshold
        }
        if isFull { flush() }
    }

    func flush() {
        lock.withLock { Self.write(&pending) }
    }

    func flushWithoutWaiting() {
        guard lock.try() else { return }
        Self.write(&pending)
        lock.unlock()
    }

    private static func write(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes(StandardOutputLines.writeAll)
        bytes.removeAll(keepingCapacity: true)
    }

    // MARK: The batch of the current thread, and every batch

    /// The batch of the turn the current thread is running, if any.
    static var current: LineBatch? {
        pthread_getspecific(currentKey).map { Unmanaged<LineBatch>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        let code = pthread_key_create(&key, nil)
        precondition(code == 0, "pthread_key_create failed: \(code)")
        return key
    }()

    private struct WeakBatch {
        weak var batch: LineBatch?
    }

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [WeakBatch] = []

    /// Runs `body` for every batch alive; for none when `withoutWaiting` and another thread holds
    /// the list. Allocates nothing, so a fatal signal's handler may call it.
    static func forEach(withoutWaiting: Bool = false, _ body: (LineBatch) -> Void) {
        if withoutWaiting {
            guard registryLock.try() else { return }
        } else {
            registryLock.lock()
        }
        defer { registryLock.unlock() }
        for entry in registry { entry.batch.map(body) }
    }
}
