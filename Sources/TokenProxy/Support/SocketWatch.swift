// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc

/// The Dispatch sources watching one non-blocking socket, and the socket's close.
///
/// Confined to `queue`. Each direction gets its source the first time it is
/// wanted; after that, interest is switched by suspending and resuming it,
/// which is much cheaper than making and cancelling sources. The socket is
/// closed only once every source on it has cancelled: closing a descriptor
/// under a live source lets the kernel hand the number to a new socket that
/// the old source would then watch.
final class SocketWatch {
    enum Event { case readable, writable }

    /// One direction's source, whether it is delivering events, and whether the owner wants them.
    /// Turning interest off only clears `wanted`: the source is suspended when it next fires
    /// unwanted, which for an idle socket is usually never. Suspending and resuming both wake
    /// Dispatch's manager thread, so a keep-alive socket that goes idle and busy again per
    /// request saves two wake-ups each time.
    private struct Direction {
        var source: DispatchSourceProtocol?
        var active = false
        var wanted = false
    }

    let socket: Int32
    private let queue: DispatchQueue
    /// What to do when the socket is ready; dropped at `close()`.
    var onEvent: ((Event) -> Void)?
    private var read = Direction()
    private var write = Direction()
    private var liveSources = 0
    private var closeRequested = false

    init(socket: Int32, queue: DispatchQueue, onEvent: ((Event) -> Void)? = nil) {
        self.socket = socket
        self.queue = queue
        self.onEvent = onEvent
    }

    /// Starts or stops watching each direction.
    func watch(read wantsRead: Bool, write wantsWrite: Bool) {
        guard !closeRequested else { return }
        set(&read, wanted: wantsRead, event: .readable)
        set(&write, wanted: wantsWrite, event: .writable)
    }

    /// Stops watching and closes the socket, now or as soon as the last source has cancelled.
    func close() {
        guard !closeRequested else { return }
        closeRequested = true
        onEvent = nil
        for direction in [read, write] {
            guard let source = direction.source else { continue }
            // A suspended source must not be released: resume it so that it can cancel.
            if !direction.active { source.resume() }
            source.cancel()
        }
        read = Direction()
        write = Direction()
        closeIfQuiet()
    }

    private func set(_ direction: inout Direction, wanted: Bool, event: Event) {
        direction.wanted = wanted
        guard wanted, !direction.active else { return }
        direction.active = true
        if let source = direction.source {
            source.resume()
            return
        }
        let source: DispatchSourceProtocol =
            event == .readable
            ? DispatchSource.makeReadSource(fileDescriptor: socket, queue: queue)
            : DispatchSource.makeWriteSource(fileDescriptor: socket, queue: queue)
        liveSources += 1
        source.setEventHandler { [unowned self] in deliver(event) }
        source.setCancelHandler { [self] in
            liveSources -= 1
            closeIfQuiet()
        }
        source.resume()
        direction.source = source
    }

    private func deliver(_ event: Event) {
        let wanted = event == .readable ? read.wanted : write.wanted
        guard !wanted else {
            onEvent?(event)
            return
        }
        if event == .readable { suspendUnwanted(&read) } else { suspendUnwanted(&write) }
    }

    private func suspendUnwanted(_ direction: inout Direction) {
        guard direction.active, let source = direction.source else { return }
        direction.active = false
        source.suspend()
    }

    private func closeIfQuiet() {
        guard closeRequested, liveSources == 0 else { return }
        Glibc.close(socket)
    }
}
