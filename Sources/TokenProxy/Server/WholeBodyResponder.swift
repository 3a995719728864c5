// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// A responder that answers from the whole body, which is small: the admin listener and the demo's
/// built-in token endpoint and echo API. The body is collected on the connection's loop, up to
/// `maxBodyBytes`; a larger one gets `413`.
protocol WholeBodyResponder: RequestResponder {
    func respond(to head: RequestHead, body: [UInt8], sink: ResponseSink)
}

extension WholeBodyResponder {
    static var maxBodyBytes: Int { 1 << 20 }

    func respond(to request: ClientRequest, sink: ResponseSink, loop: EventLoop) -> ExchangeCancellation? {
        guard let body = request.body else {
            respond(to: request.head, body: [], sink: sink)
            return nil
        }
        let collector = BodyCollector(limit: Self.maxBodyBytes) { bytes in
            guard let bytes else {
                sink.respond(with: .bodyTooLarge(limit: Self.maxBodyBytes))
                return
            }
            respond(to: request.head, body: bytes, sink: sink)
        }
        collector.collect(body, on: loop.queue)
        return nil
    }
}

/// Reads a `RequestBody` to its end on one queue.
private final class BodyCollector {
    private let limit: Int
    private let completion: ([UInt8]?) -> Void
    private var bytes: [UInt8] = []

    /// - Parameter completion: gets the body, or nil when it was over `limit` or could not be completed.
    init(limit: Int, completion: @escaping ([UInt8]?) -> Void) {
        self.limit = limit
        self.completion = completion
    }

    func collect(_ body: RequestBody, on queue: DispatchQueue) {
        // The body holds the wake-up, and the wake-up holds the collector, until the body is released.
        let collector = LoopBound(self, queue: queue)
        body.onReadable { [weak body] in
            guard let body else { return }
            collector.async { $0.pull(from: body) }
        }
        pull(from: body)
    }

    private func pull(from body: RequestBody) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            switch chunk.withUnsafeMutableBytes({ body.read(into: $0) }) {
            case .bytes(let count):
                bytes.append(contentsOf: chunk[..<count])
                if bytes.count > limit { return end(body, nil) }
            case .wait:
                return
            case .end:
                return end(body, bytes)
            case .abandoned:
                return end(body, nil)
            }
        }
    }

    private func end(_ body: RequestBody, _ result: [UInt8]?) {
        body.release()
        completion(result)
    }
}
