// SPDX-License-Identifier: Apache-2.0
import Glibc
import Synchronization

/// Lines on their way to stdout: the log.
///
/// A line written during a turn of a `SocketPoller` (a request's log line, say) waits in that
/// poller's `LineBatch`, and the batch leaves in one `write` when the turn ends, so under load a
/// request costs no `write` of its own. A line written anywhere else leaves at once, after what
/// the batches hold, so it does not overtake lines written before it. `flushAll()` is for the
/// exit paths, which may cut a turn short.
public enum StandardOutputLines {
    /// Writes `line` (ending in a newline) now, or at the end of the current poller turn.
    public static func write(_ line: UnsafeRawBufferPointer) {
        if let batch = LineBatch.current {
            batch.append(line)
        } else {
            flushAll()
            writeAll(line)
        }
    }

    /// Writes what every batch holds.
    public static func flushAll() {
        LineBatch.forEach { $0.flush() }
    }

    /// Writes what every batch holds whose lock is free, without waiting: for a fatal signal's
    /// handler, which may interrupt the very thread that holds a lock.
    public static func flushAllWithoutWaiting() {
        LineBatch.forEach(withoutWaiting: true) { $0.flushWithoutWaiting() }
    }

    /// Writes all of `bytes` to stdout, unless stdout is gone: then there is nowhere left to report it.
    static func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
