// SPDX-License-Identifier: Apache-2.0

/// Receives one upstream try's response. Called on the loop's queue; the head and
/// body callbacks run inside curl's callbacks, so they must not start or cancel transfers.
protocol UpstreamTransferDelegate: AnyObject {
    /// An interim (1xx) response head; the final one follows.
    func transfer(_ transfer: UpstreamTransfer, didReceiveInterim head: UpstreamResponseHead)
    /// The final response head. Return whether to keep the body.
    func transfer(_ transfer: UpstreamTransfer, didReceive head: UpstreamResponseHead) -> UpstreamTransfer.BodyHandling
    /// Body bytes of a kept response; return `false` to pause until `transfer.resume()`.
    func transfer(_ transfer: UpstreamTransfer, didReceiveBody bytes: UnsafeRawBufferPointer) -> Bool
    /// The try ended; the head is nil when none arrived. Not called after `cancel()`.
    func transfer(_ transfer: UpstreamTransfer, didCompleteWith result: Result<Void, CurlError>)
}

extension UpstreamTransferDelegate {
    /// Interim responses are skipped unless the delegate passes them on.
    func transfer(_ transfer: UpstreamTransfer, didReceiveInterim head: UpstreamResponseHead) {}
}
