// SPDX-License-Identifier: Apache-2.0

/// Receives one upstream try's response. Called on the loop's queue; the head and
/// body callbacks run inside curl's callbacks, so they must not start or cancel transfers.
protocol UpstreamTransferDelegate: AnyObject {
    /// The final response head (1xx heads are skipped). Return whether to keep the body.
    func transfer(_ transfer: UpstreamTransfer, didReceive head: UpstreamResponseHead) -> UpstreamTransfer.BodyHandling
    /// Body bytes of a kept response; return `false` to pause until `transfer.resume()`.
    func transfer(_ transfer: UpstreamTransfer, didReceiveBody bytes: UnsafeRawBufferPointer) -> Bool
    /// The try ended; the head is nil when none arrived. Not called after `cancel()`.
    func transfer(_ transfer: UpstreamTransfer, didCompleteWith result: Result<Void, CurlError>)
}
