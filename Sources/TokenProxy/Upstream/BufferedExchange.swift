// SPDX-License-Identifier: Apache-2.0

/// Runs one request and collects its whole response, up to a size limit:
/// the token request, which is small and read as a whole.
///
/// Confined to the multi's queue; the transfer keeps it alive until it completes.
final class BufferedExchange: UpstreamTransferDelegate {
    struct Response {
        var head: UpstreamResponseHead
        var body: [UInt8]
        /// The body was longer than the limit and was cut.
        var truncated: Bool
    }

    private let limit: Int
    private let completion: (Result<Response, CurlError>) -> Void
    private var body: [UInt8] = []
    private var truncated = false

    private init(limit: Int, completion: @escaping (Result<Response, CurlError>) -> Void) {
        self.limit = limit
        self.completion = completion
    }

    /// Sends `request` on `multi`; `completion` runs on the multi's queue.
    static func run(
        _ request: UpstreamRequest, on multi: CurlMulti, limit: Int = 1 << 20,
        completion: @escaping (Result<Response, CurlError>) -> Void
    ) {
        let exchange = BufferedExchange(limit: limit, completion: completion)
        UpstreamTransfer(request: request, multi: multi, delegate: exchange).start()
    }

    func transfer(_ transfer: UpstreamTransfer, didReceive head: UpstreamResponseHead) -> UpstreamTransfer.BodyHandling
    {
        .keep
    }

    func transfer(_ transfer: UpstreamTransfer, didReceiveBody bytes: UnsafeRawBufferPointer) -> Bool {
        let room = limit - body.count
        if bytes.count > room { truncated = true }
        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(max(room, 0))))
        return true
    }

    func transfer(_ transfer: UpstreamTransfer, didCompleteWith result: Result<Void, CurlError>) {
        completion(
            result.flatMap {
                guard let head = transfer.head else {
                    return .failure(CurlError(kind: .transport, message: "the response had no status line", code: 0))
                }
                return .success(Response(head: head, body: body, truncated: truncated))
            })
    }
}
