// SPDX-License-Identifier: Apache-2.0
import CCurl

/// One try of an upstream exchange: a `CurlEasy` set up from an `UpstreamRequest`,
/// running on a `CurlMulti`, turning curl's header lines into an `UpstreamResponseHead`.
///
/// Confined to the multi's queue.
final class UpstreamTransfer: CurlEasyDelegate {
    enum BodyHandling {
        /// Pass the body to the delegate.
        case keep
        /// Read and drop the body (the connection stays reusable), e.g. before a retry.
        case discard
    }

    /// The handle while the try runs; the multi takes it back once the try has ended.
    private var easy: CurlEasy?
    private let multi: CurlMulti
    /// Kept alive until the try completes or is cancelled, then let go.
    private var delegate: UpstreamTransferDelegate?
    private var pendingStatus: (status: Int, reason: String)?
    private var pendingHeaders = HTTPHeaders()
    private var bodyHandling: BodyHandling?
    private(set) var head: UpstreamResponseHead?
    /// The streamed request body, read by curl's read callback.
    private let upload: RequestBody?

    init(request: UpstreamRequest, multi: CurlMulti, delegate: UpstreamTransferDelegate) {
        self.multi = multi
        self.delegate = delegate
        if case .stream(let body) = request.body { upload = body } else { upload = nil }
        let easy = multi.makeEasy()
        easy.delegate = self
        easy.configure(for: request)
        self.easy = easy
        if let upload {
            // Appends come from the client connection's loop: the resume goes through this loop's queue.
            let transfer = LoopBound(WeakReference(self), queue: multi.queue)
            upload.onReadable { transfer.async { $0.object?.resume() } }
        }
    }

    /// Whether this try used a kept-alive connection (which the upstream may have closed meanwhile);
    /// known until the delegate has heard of the end.
    var reusedConnection: Bool { easy?.reusedConnection ?? false }

    /// The HTTP version the response came with ("1.1", "2").
    var httpVersion: String { easy?.negotiatedHTTPVersion ?? "1.1" }

    func start() {
        guard let easy else { return }
        multi.add(easy) { [self] result in
            let delegate = delegate
            self.delegate = nil
            delegate?.transfer(self, didCompleteWith: result)
            self.easy = nil
        }
    }

    /// Stops the try; its delegate hears nothing more.
    func cancel() {
        delegate = nil
        guard let easy else { return }
        self.easy = nil
        multi.cancel(easy)
    }

    /// Continues a try paused by the delegate's body callback.
    func resume() {
        guard let easy else { return }
        multi.resume(easy)
    }

    // MARK: CurlEasyDelegate

    func curlEasy(_ easy: CurlEasy, didReceiveHeaderLine bytes: UnsafeRawBufferPointer) {
        guard head == nil else { return }  // trailers of a chunked response
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: bytes[..<end])
        if line.isEmpty {
            finishHeadBlock()
        } else if line.starts(with: "HTTP/".utf8) {
            // The reason phrase may hold obs-text too (RFC 9112 4).
            pendingStatus = UpstreamResponseHead.statusLine(Substring(FieldValue.string(line)))
            pendingHeaders = HTTPHeaders()
            pendingHeaders.reserveCapacity(16)
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            var valueStart = colon + 1
            var valueEnd = line.count
            while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            pendingHeaders.add(
                name: String(decoding: line[..<colon], as: UTF8.self),
                value: FieldValue.string(UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])))
        }
    }

    func curlEasy(_ easy: CurlEasy, didReceiveBody bytes: UnsafeRawBufferPointer) -> Bool {
        guard bodyHandling == .keep else { return true }
        return delegate?.transfer(self, didReceiveBody: bytes) ?? true
    }

    func curlEasy(_ easy: CurlEasy, readUploadInto buffer: UnsafeMutableRawBufferPointer) -> CurlUploadRead {
        guard let upload else { return .end }
        switch upload.read(into: buffer) {
        case .bytes(let count): return .bytes(count)
        case .end: return .end
        case .wait: return .pause
        case .abandoned: return .abort
        }
    }

    func curlEasyRewindUpload(_ easy: CurlEasy) -> Bool {
        upload?.rewind() ?? true
    }

    private func finishHeadBlock() {
        guard let (status, reason) = pendingStatus else { return }
        let head = UpstreamResponseHead(status: status, reason: reason, headers: pendingHeaders)
        guard status >= 200 else {
            delegate?.transfer(self, didReceiveInterim: head)  // the final head follows
            return
        }
        self.head = head
        bodyHandling = delegate?.transfer(self, didReceive: head) ?? .discard
    }
}
