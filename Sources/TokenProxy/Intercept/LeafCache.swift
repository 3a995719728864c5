// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Foundation
import Synchronization

/// The leaf certificates of one CA, per host: minted on a background queue, off
/// the loops, and reused until an hour before they expire.
///
/// Any loop may ask: a cached leaf is answered from under a lock without leaving
/// the caller's queue; otherwise the caller is answered on its own queue once the
/// leaf is minted, and every caller asking for the same host meanwhile shares that
/// one minting. A leaf in its last hour is still handed out while its successor
/// is minted. At most `capacity` hosts are kept; the oldest leaf makes room.
/// A new CA gets a new cache (see `Interception`).
final class LeafCache: Sendable {
    typealias Mint = @Sendable (LeafHost, Date) throws(LeafMinter.Failure) -> LeafCertificate
    typealias Completion = @Sendable (Result<LeafCertificate, LeafMinter.Failure>) -> Void

    /// Past this many hosts the oldest leaf is dropped: a default route lets clients name any host.
    static let defaultCapacity = 4096
    /// A leaf with less time left than this is replaced.
    static let renewal: TimeInterval = 3600
    /// A leaf this close to its end is not handed out at all: the client would check it a moment later.
    static let margin: TimeInterval = 60

    private let mint: Mint
    private let capacity: Int
    private let now: @Sendable () -> Date
    private let mintingQueue: DispatchQueue
    private let state = Mutex(State())

    private struct State {
        var leaves: [LeafHost: (leaf: LeafCertificate, order: UInt64)] = [:]
        /// Hosts being minted, with the callers waiting for them.
        var minting: [LeafHost: [Completion]] = [:]
        var nextOrder: UInt64 = 0
    }

    init(
        mint: @escaping Mint, capacity: Int = defaultCapacity, now: @escaping @Sendable () -> Date = { Date() },
        mintingQueue: DispatchQueue = DispatchQueue(label: "token-proxy.leaf-minting", qos: .userInitiated)
    ) {
        precondition(capacity > 0, "a leaf cache holds at least one host")
        self.mint = mint
        self.capacity = capacity
        self.now = now
        self.mintingQueue = mintingQueue
    }

    convenience init(minter: LeafMinter) {
        self.init(mint: { host, now throws(LeafMinter.Failure) in try minter.mint(for: host, now: now) })
    }

    /// Calls `completion` with a valid leaf for `host`: at once, on the calling queue, when one is
    /// cached; else on `queue` once it is minted.
    func leaf(for host: LeafHost, on queue: DispatchQueue, completion: @escaping Completion) {
        let instant = now()
        let answer: Completion = { result in queue.async { completion(result) } }
        let (cached, startMinting) = state.withLock { state -> (LeafCertificate?, Bool) in
            let cached = state.leaves[host]?.leaf
            let usable = cached.flatMap { instant < $0.notAfter - Self.margin ? $0 : nil }
            if let usable, instant < usable.notAfter - Self.renewal { return (usable, false) }
            let alreadyMinting = state.minting[host] != nil
            state.minting[host, default: []] += usable == nil ? [answer] : []
            return (usable, !alreadyMinting)
        }
        if startMinting {
            mintingQueue.async { [self] in
                finishMinting(host, result: Result { () throws(LeafMinter.Failure) in try mint(host, now()) })
            }
        }
        if let cached { completion(.success(cached)) }
    }

    private func finishMinting(_ host: LeafHost, result: Result<LeafCertificate, LeafMinter.Failure>) {
        let waiters = state.withLock { state in
            if case .success(let leaf) = result {
                if state.leaves[host] == nil, state.leaves.count >= capacity,
                    let oldest = state.leaves.min(by: { $0.value.order < $1.value.order })?.key
                {
                    state.leaves[oldest] = nil
                }
                state.leaves[host] = (leaf, state.nextOrder)
                state.nextOrder += 1
            }
            return state.minting.removeValue(forKey: host) ?? []
        }
        waiters.forEach { $0(result) }
    }
}
