// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc

/// The Dispatch sources watching one non-blocking socket, and the socket's close.
///
/// Confined to `queue`. Interest in each direction is switched on and off as
/// the owner needs it. The socket is closed only once every source on it has
/// cancelled: closing a descriptor under a live source lets the kernel hand the
/// number to a new socket that the old source would then watch.
final class SocketWatch {
    enum Event { case readable, writable }

    let socket: Int32
    private let queue: DispatchQueue
    /// What to do when the socket is ready; dropped at `close()`.
    var onEvent: ((Event) -> Void)?
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var liveSources = 0
    private var closeRequested = false

    init(socket: Int32, queue: DispatchQueue, onEvent: ((Event) -> Void)? = nil) {
        self.socket = socket
        self.queue = queue
        self.onEvent = onEvent
    }

    /// Starts or stops watching each direction.
    func watch(read wantsRead: Bool, write wantsWrite: Bool) {
        if wantsRead, readSource == nil {
            let source = DispatchSource.makeReadSource(fileDescriptor: socket, queue: queue)
            readSource = source
            activate(source, event: .readable)
        } else if !wantsRead, let source = readSource {
            readSource = nil
            source.cancel()
        }
        if wantsWrite, writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: socket, queue: queue)
            writeSource = source
            activate(source, event: .writable)
        } else if !wantsWrite, let source = writeSource {
            writeSource = nil
            source.cancel()
        }
    }

    /// Stops watching and closes the socket, now or as soon as the last source has cancelled.
    func close() {
        guard !closeRequested else { return }
        watch(read: false, write: false)
        onEvent = nil
        closeRequested = true
        closeIfQuiet()
    }

    private func activate(_ source: DispatchSourceProtocol, event: Event) {
        liveSources += 1
        source.setEventHandler { [unowned self] in onEvent?(event) }
        source.setCancelHandler { [self] in
            liveSources -= 1
            closeIfQuiet()
        }
        source.resume()
    }

    private func closeIfQuiet() {
        guard closeRequested, liveSources == 0 else { return }
        Glibc.close(socket)
    }
}
