// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct ExchangeStateMachineTests {
    private let start = ContinuousClock.now
    private let reset = CurlError(kind: .transport, message: "Recv failure: Connection reset by peer", code: 56)

    private func machine(
        retries: Int = 0, delay: Duration = .zero, method: String = "GET", viaChainedProxy: Bool = false,
        refreshable: Bool = true
    ) -> ExchangeStateMachine {
        var machine = ExchangeStateMachine(
            policy: RetryPolicy(retryAttempts: retries, retryDelay: delay), deadline: start + .seconds(60),
            method: method, viaChainedProxy: viaChainedProxy, refreshableToken: refreshable)
        #expect(machine.start() == .fetchToken)
        #expect(machine.tokenArrived() == .startTry(freshConnection: false))
        return machine
    }

    private func head(_ machine: inout ExchangeStateMachine, _ status: Int, rewind: Bool = true)
        -> ExchangeStateMachine.HeadVerdict
    {
        machine.headArrived(status: status, retryAfter: nil, bodyCanRewind: rewind, now: start)
    }

    @Test func aSuccessStreamsAndFinishes() {
        var machine = machine()
        #expect(head(&machine, 200) == .init(deliver: true, rejectToken: false))
        #expect(machine.tryEnded(.completed, bodyCanRewind: true, now: start) == .finishResponse)
        #expect(machine.state == .done)
        #expect(machine.tries == 1)
    }

    @Test func aFailureWhileStreamingAbortsTheResponse() {
        var machine = machine()
        _ = head(&machine, 200)
        #expect(
            machine.tryEnded(.failed(reset, staleCandidate: false), bodyCanRewind: true, now: start)
                == .abortResponse(reset))
    }

    @Test func theTokenEndpointFailingFailsTheExchange() {
        var machine = ExchangeStateMachine(
            policy: RetryPolicy(retryAttempts: 3, retryDelay: .zero), deadline: start + .seconds(60), method: "GET",
            viaChainedProxy: false, refreshableToken: true)
        _ = machine.start()
        #expect(machine.tokenFailed("HTTP 500") == .fail(.tokenUnavailable("HTTP 500")))
        #expect(machine.tokenArrived() == .nothing)
    }

    @Test func a401IsReplayedOnceWithANewToken() {
        var machine = machine()
        #expect(head(&machine, 401) == .init(deliver: false, rejectToken: true))
        #expect(machine.tryEnded(.completed, bodyCanRewind: true, now: start) == .fetchToken)
        #expect(machine.tokenArrived() == .startTry(freshConnection: false))
        // The second 401 goes to the client, and the token stays: it was just fetched.
        #expect(head(&machine, 401) == .init(deliver: true, rejectToken: false))
        #expect(machine.tries == 2)
    }

    @Test func a401OnABodySentOnceDropsTheTokenAndGoesToTheClient() {
        var machine = machine(retries: 2, method: "PUT")
        #expect(head(&machine, 401, rewind: false) == .init(deliver: true, rejectToken: true))
        #expect(machine.tryEnded(.completed, bodyCanRewind: false, now: start) == .finishResponse)
    }

    @Test func aStaticTokenIsNotReplayed() {
        var machine = machine(refreshable: false)
        #expect(head(&machine, 401) == .init(deliver: true, rejectToken: false))
    }

    @Test func responsesAreRetriedOnlyWhileTheBodyCanBeSentAgain() {
        var machine = machine(retries: 2, delay: .seconds(1), method: "POST")
        #expect(head(&machine, 503) == .init(deliver: false, rejectToken: false))
        #expect(machine.tryEnded(.completed, bodyCanRewind: true, now: start) == .startTryAfter(.seconds(1)))
        #expect(machine.state == .waitingToRetry)
        #expect(machine.retryTimerFired() == .startTry(freshConnection: false))
        // The body has outgrown its replay buffer meanwhile: this 503 is the answer.
        #expect(head(&machine, 503, rewind: false) == .init(deliver: true, rejectToken: false))
        #expect(machine.tries == 2)
    }

    @Test func transportFailuresAreRetriedThenFailed() {
        var machine = machine(retries: 1)
        #expect(
            machine.tryEnded(.failed(reset, staleCandidate: false), bodyCanRewind: true, now: start)
                == .startTry(freshConnection: false))
        #expect(
            machine.tryEnded(.failed(reset, staleCandidate: false), bodyCanRewind: true, now: start)
                == .fail(.transfer(reset)))
    }

    @Test func aFailureOfABodySentOnceIsNotRetried() {
        var machine = machine(retries: 3, method: "PUT")
        #expect(
            machine.tryEnded(.failed(reset, staleCandidate: false), bodyCanRewind: false, now: start)
                == .fail(.transfer(reset)))
    }

    @Test func aStaleKeptAliveConnectionIsResentOnceOnAFreshOneUncounted() {
        var machine = machine()
        #expect(
            machine.tryEnded(.failed(reset, staleCandidate: true), bodyCanRewind: true, now: start)
                == .startTry(freshConnection: true))
        #expect(
            machine.tryEnded(.failed(reset, staleCandidate: true), bodyCanRewind: true, now: start)
                == .fail(.transfer(reset)))
    }

    @Test func aStaleConnectionIsNotResentForAPostOrABodyThatCannotRewind() {
        var post = machine(method: "POST")
        #expect(
            post.tryEnded(.failed(reset, staleCandidate: true), bodyCanRewind: true, now: start)
                == .fail(.transfer(reset)))
        var put = machine(method: "PUT")
        #expect(
            put.tryEnded(.failed(reset, staleCandidate: true), bodyCanRewind: false, now: start)
                == .fail(.transfer(reset)))
    }

    @Test func timeoutsAndEmptyAnswersFail() {
        let timeout = CurlError(kind: .timeout, message: "Operation timed out", code: 28)
        var timedOut = machine(retries: 3)
        #expect(
            timedOut.tryEnded(.failed(timeout, staleCandidate: false), bodyCanRewind: true, now: start)
                == .fail(.timedOut))
        var empty = machine()
        #expect(empty.tryEnded(.completed, bodyCanRewind: true, now: start) == .fail(.noResponse))
    }

    @Test func a408PastTheDeadlineTimesOut() {
        var machine = machine()
        let late = start + .seconds(60)
        #expect(
            machine.headArrived(status: 408, retryAfter: .seconds(5), bodyCanRewind: true, now: late).deliver == false)
        #expect(machine.tryEnded(.completed, bodyCanRewind: true, now: late) == .fail(.timedOut))
    }

    @Test func aChainedProxysRefusalIsRetriedThenFailed() {
        var machine = machine(retries: 1, viaChainedProxy: true)
        #expect(head(&machine, 407).deliver == false)
        #expect(machine.tryEnded(.completed, bodyCanRewind: true, now: start) == .startTry(freshConnection: false))
        #expect(head(&machine, 407).deliver == false)
        #expect(
            machine.tryEnded(.completed, bodyCanRewind: true, now: start)
                == .fail(.proxyRefused(status: 407, reason: "Proxy Authentication Required")))
    }

    @Test func theClientLeavingCancelsOnceFromEveryState() {
        var waiting = ExchangeStateMachine(
            policy: RetryPolicy(retryAttempts: 0, retryDelay: .zero), deadline: start + .seconds(60), method: "GET",
            viaChainedProxy: false, refreshableToken: true)
        _ = waiting.start()
        #expect(waiting.clientGone() == .cancel)
        #expect(waiting.clientGone() == .nothing)
        #expect(waiting.tokenArrived() == .nothing)

        var retrying = machine(retries: 1, delay: .seconds(1))
        _ = head(&retrying, 500)
        _ = retrying.tryEnded(.completed, bodyCanRewind: true, now: start)
        #expect(retrying.clientGone() == .cancel)
        #expect(retrying.retryTimerFired() == .nothing)

        var finished = machine()
        _ = head(&finished, 200)
        _ = finished.tryEnded(.completed, bodyCanRewind: true, now: start)
        #expect(finished.clientGone() == .nothing)
    }
}
