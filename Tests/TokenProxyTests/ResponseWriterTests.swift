// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Glibc
import Testing

@testable import TokenProxy

/// The response budget: shared by all writers, always leaving each room for one chunk.
@Suite struct ResponseWriterTests {
    /// A writer on one end of a socket pair, and the other end to read from.
    private final class Pair {
        let writer: ResponseWriter
        let peer: Int32
        private let socket: Int32

        init(budget: BufferBudget, highWater: Int = 1 << 20) throws {
            var ends: [Int32] = [0, 0]
            try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
            (socket, peer) = (ends[0], ends[1])
            let poller = SocketPoller(queue: DispatchQueue(label: "test"), threadName: "test")
            writer = ResponseWriter(
                transport: ClientTransport(socket: socket), poller: poller, highWater: highWater, budget: budget)
        }

        deinit {
            Glibc.close(socket)
            Glibc.close(peer)
        }

        func readAll() -> Int {
            var bytes = [UInt8](repeating: 0, count: 1 << 16)
            return recv(peer, &bytes, bytes.count, Int32(MSG_DONTWAIT))
        }
    }

    @Test func aWriterIsBackedUpAtItsHighWaterMark() throws {
        let pair = try Pair(budget: BufferBudget(limit: 1 << 20), highWater: 8)
        pair.writer.append("1234567")
        #expect(!pair.writer.isBackedUp)
        pair.writer.append("8")
        #expect(pair.writer.isBackedUp)
    }

    @Test func aFullBudgetBacksUpEveryWriterHoldingBytesButLeavesEmptyOnesOneChunk() throws {
        let budget = BufferBudget(limit: 10)
        let first = try Pair(budget: budget)
        let second = try Pair(budget: budget)
        first.writer.append("0123456789")
        #expect(budget.inUse == 10)
        #expect(first.writer.isBackedUp)
        #expect(!second.writer.isBackedUp)
        second.writer.append("abc")
        #expect(second.writer.isBackedUp)
        #expect(budget.inUse == 13)

        #expect(first.writer.flush() == .drained)
        #expect(first.readAll() == 10)
        #expect(budget.inUse == 3)
        #expect(!second.writer.isBackedUp)
    }

    @Test func aDiscardedWriterGivesItsBytesBack() throws {
        let budget = BufferBudget(limit: 100)
        let pair = try Pair(budget: budget)
        pair.writer.append("some response bytes")
        #expect(budget.inUse > 0)
        pair.writer.discard()
        #expect(budget.inUse == 0)
        #expect(pair.writer.isEmpty)
    }
}
