// SPDX-License-Identifier: Apache-2.0
import Synchronization
import Testing

@testable import TokenProxy

@Suite struct RequestBodyTests {
    private func body(length: Int? = nil, replayLimit: Int = 100, window: Int = 10, budget: Int = 1000)
        -> (RequestBody, BufferBudget)
    {
        let budget = BufferBudget(limit: budget)
        return (RequestBody(length: length, replayLimit: replayLimit, window: window, budget: budget), budget)
    }

    private func append(_ body: RequestBody, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { body.append($0) }
    }

    /// Reads everything there is now; the last element says how reading stopped.
    private func drain(_ body: RequestBody, chunk: Int = 4) -> ([UInt8], RequestBody.ReadResult) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let result = buffer.withUnsafeMutableBytes { body.read(into: $0) }
            guard case .bytes(let count) = result else { return (bytes, result) }
            bytes += buffer[..<count]
        }
    }

    @Test func aSmallBodyIsKeptAndCanBeSentAgain() {
        let (body, budget) = body(length: 50)
        append(body, Array(0..<50))
        body.finish()
        #expect(drain(body) == (Array(0..<50), .end))
        #expect(budget.inUse == 50)
        #expect(body.canRewind)
        #expect(body.rewind())
        #expect(drain(body) == (Array(0..<50), .end))
        body.release()
        #expect(budget.inUse == 0)
    }

    @Test func aBodyPastTheReplayBufferStreamsWithinItsWindowAndIsSentOnce() {
        let (body, budget) = body(replayLimit: 20, window: 10)
        append(body, Array(0..<15))
        #expect(body.hasRoom)
        append(body, Array(15..<30))
        #expect(budget.inUse == 0, "past the replay buffer nothing is held against the budget")
        #expect(!body.hasRoom, "30 bytes wait for the upstream, over the 10-byte window")
        let (first, stop) = drain(body)
        #expect(first == Array(0..<30) && stop == .wait)
        #expect(body.hasRoom)
        #expect(!body.canRewind)
        #expect(!body.rewind())
    }

    @Test func aBodyThatDoesNotFitTheBudgetStreams() {
        let (body, budget) = body(length: 50, budget: 40)
        append(body, Array(0..<30))
        #expect(budget.inUse == 30)
        append(body, Array(30..<50))
        #expect(budget.inUse == 0)
        #expect(drain(body).0 == Array(0..<50))
        #expect(!body.canRewind)
    }

    @Test func nothingSentYetCanAlwaysStartOver() {
        let (body, _) = body(replayLimit: 0)
        append(body, [1, 2, 3])
        #expect(body.canRewind)
    }

    @Test func theReaderIsWokenWhenBytesArriveOrTheBodyEnds() {
        let (body, _) = body()
        let wakes = Atomic<Int>(0)
        body.onReadable { wakes.add(1, ordering: .relaxed) }
        #expect(drain(body).1 == .wait)
        append(body, [7])
        #expect(wakes.load(ordering: .relaxed) == 1)
        append(body, [8])
        #expect(wakes.load(ordering: .relaxed) == 1, "woken once per wait")
        #expect(drain(body) == ([7, 8], .wait))
        body.finish()
        #expect(wakes.load(ordering: .relaxed) == 2)
        #expect(drain(body).1 == .end)
    }

    @Test func theWriterIsWokenWhenTheUpstreamTakesBytes() {
        let (body, _) = body(replayLimit: 0, window: 4)
        let wakes = Atomic<Int>(0)
        body.onRoom { wakes.add(1, ordering: .relaxed) }
        append(body, [1, 2, 3, 4, 5])
        #expect(!body.hasRoom)
        _ = drain(body, chunk: 2)
        #expect(wakes.load(ordering: .relaxed) == 1)
    }

    @Test func anAbandonedBodyFailsTheUploadAndAReleasedOneNeverHoldsTheClientBack() {
        let (body, budget) = body(replayLimit: 0, window: 2)
        append(body, [1, 2, 3])
        body.abandon()
        #expect(drain(body).1 == .abandoned)
        body.release()
        #expect(body.hasRoom)
        append(body, [4, 5, 6])
        #expect(budget.inUse == 0)
    }

    @Test func theFirstDemandIsReportedOnce() {
        let (body, _) = body()
        let demands = Atomic<Int>(0)
        body.onFirstDemand { demands.add(1, ordering: .relaxed) }
        _ = drain(body)
        _ = drain(body)
        #expect(demands.load(ordering: .relaxed) == 1)
    }
}
