// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import TokenProxy

/// `LeafCache` with a counting mint and a hand-moved clock; the leaves are real, from the fixture CA.
@Suite struct LeafCacheTests {
    /// Mints with the fixture CA, counting per host; a mint can be held until the test lets it go.
    private final class CountingMint: Sendable {
        let minter: LeafMinter
        let counts = Mutex<[String: Int]>([:])
        let gate: DispatchSemaphore?

        init(held: Bool = false) throws {
            minter = LeafMinter(
                authority: try CertificateAuthority.load(
                    InterceptSettings.AuthorityStore(keyStore: try KeyStoreFixtures.path("ca-identity.pem"))))
            gate = held ? DispatchSemaphore(value: 0) : nil
        }

        func mint(_ host: LeafHost, _ now: Date) throws(LeafMinter.Failure) -> LeafCertificate {
            counts.withLock { $0[host.name, default: 0] += 1 }
            gate?.wait()
            if host.name == "fails.example.test" { throw LeafMinter.Failure(host: host, detail: "refused by the test") }
            return try minter.mint(for: host, now: now)
        }

        func count(_ host: String) -> Int { counts.withLock { $0[host] ?? 0 } }
    }

    private final class Clock: Sendable {
        let now = Mutex(Date())
        func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
    }

    /// The cache's minting queue, so that a test can wait for a background renewal with `minting.sync {}`.
    private let minting = DispatchQueue(label: "token-proxy.test.leaf-minting")

    private func cache(_ mint: CountingMint, clock: Clock = Clock(), capacity: Int = 8) -> LeafCache {
        LeafCache(mint: mint.mint, capacity: capacity, now: { clock.now.withLock { $0 } }, mintingQueue: minting)
    }

    private let callers = DispatchQueue(label: "token-proxy.test.leaf-callers")

    /// The result for `host`, waiting for a minting if need be.
    private func leaf(_ host: String, from cache: LeafCache) async throws -> LeafCertificate {
        let host = try #require(LeafHost(host))
        return try await withCheckedThrowingContinuation { continuation in
            cache.leaf(for: host, on: callers) { continuation.resume(with: $0) }
        }
    }

    @Test func aLeafIsMintedOnceAndReused() async throws {
        let mint = try CountingMint()
        let leaves = cache(mint)
        let first = try await leaf("api.example.test", from: leaves)
        let second = try await leaf("API.example.test", from: leaves)
        #expect(first === second)
        #expect(first.host.name == "api.example.test")
        #expect(mint.count("api.example.test") == 1)
        let other = try await leaf("other.example.test", from: leaves)
        #expect(other !== first)
    }

    @Test func concurrentCallersForOneHostShareOneMinting() async throws {
        let mint = try CountingMint(held: true)
        let leaves = cache(mint)
        let host = try #require(LeafHost("api.example.test"))
        let delivered = Mutex<[ObjectIdentifier]>([])
        let group = DispatchGroup()
        for _ in 0..<20 {
            group.enter()
            leaves.leaf(for: host, on: callers) { result in
                if case .success(let leaf) = result { delivered.withLock { $0.append(ObjectIdentifier(leaf)) } }
                group.leave()
            }
        }
        mint.gate?.signal()
        await withCheckedContinuation { continuation in group.notify(queue: callers) { continuation.resume() } }
        #expect(mint.count("api.example.test") == 1)
        let identities = delivered.withLock { $0 }
        #expect(identities.count == 20)
        #expect(Set(identities).count == 1)
    }

    @Test func callersAreAnsweredOnTheirQueue() async throws {
        let leaves = cache(try CountingMint())
        let host = try #require(LeafHost("api.example.test"))
        let onQueue = await withCheckedContinuation { continuation in
            leaves.leaf(for: host, on: callers) { _ in
                continuation.resume(returning: DispatchQueue.getSpecific(key: Self.callerKey) == true)
            }
        }
        #expect(onQueue)
    }

    private static let callerKey = DispatchSpecificKey<Bool>()

    init() {
        callers.setSpecific(key: Self.callerKey, value: true)
    }

    @Test func aLeafInItsLastHourIsServedWhileItsSuccessorIsMinted() async throws {
        let mint = try CountingMint()
        let clock = Clock()
        let leaves = cache(mint, clock: clock)
        let first = try await leaf("api.example.test", from: leaves)

        clock.advance(22 * 3600 + 30 * 60)
        #expect(try await leaf("api.example.test", from: leaves) === first, "still valid for 1.5 h")
        #expect(mint.count("api.example.test") == 1)

        clock.advance(60 * 60)
        let renewing = try await leaf("api.example.test", from: leaves)
        #expect(renewing === first, "30 minutes left: served while the next one is minted")
        minting.sync {}
        #expect(mint.count("api.example.test") == 2)
        #expect(try await leaf("api.example.test", from: leaves) !== first, "the successor replaced it")
        #expect(mint.count("api.example.test") == 2)
    }

    @Test func anExpiredLeafIsNeverServed() async throws {
        let mint = try CountingMint()
        let clock = Clock()
        let leaves = cache(mint, clock: clock)
        let first = try await leaf("api.example.test", from: leaves)
        clock.advance(24 * 3600 + 1)
        let next = try await leaf("api.example.test", from: leaves)
        #expect(next !== first)
        #expect(clock.now.withLock { $0 } < next.notAfter)
    }

    @Test func theOldestHostMakesRoomPastTheCapacity() async throws {
        let mint = try CountingMint()
        let leaves = cache(mint, capacity: 2)
        _ = try await leaf("a.example.test", from: leaves)
        _ = try await leaf("b.example.test", from: leaves)
        _ = try await leaf("c.example.test", from: leaves)
        _ = try await leaf("b.example.test", from: leaves)
        _ = try await leaf("c.example.test", from: leaves)
        #expect(mint.count("b.example.test") == 1 && mint.count("c.example.test") == 1)
        _ = try await leaf("a.example.test", from: leaves)
        #expect(mint.count("a.example.test") == 2, "a was the oldest, so it was dropped")
    }

    @Test func aFailureReachesEveryWaiterAndIsNotCached() async throws {
        let mint = try CountingMint()
        let leaves = cache(mint)
        for attempt in 1...2 {
            await #expect(throws: LeafMinter.Failure.self) { try await leaf("fails.example.test", from: leaves) }
            #expect(mint.count("fails.example.test") == attempt)
        }
    }
}
