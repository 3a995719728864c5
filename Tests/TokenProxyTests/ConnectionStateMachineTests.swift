// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import TokenProxy

@Suite struct ConnectionStateMachineTests {
    private let start = ContinuousClock.now
    private let maxHead = 64 * 1024

    private func machine(draining: Bool = false) -> ConnectionStateMachine {
        ConnectionStateMachine(headTimeout: .seconds(10), idleTimeout: .seconds(60), draining: draining, now: start)
    }

    private func at(_ seconds: Int) -> ContinuousClock.Instant { start + .seconds(seconds) }

    // MARK: Head, keep-alive, pipelining

    @Test func aRequestWithoutBodyIsAnsweredAndTheNextOneRead() {
        var machine = machine()
        #expect(machine.wantsInput(buffered: 0, maxHeadBytes: maxHead))
        machine.bytesArrived(at: at(1))
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(1))
        #expect(machine.responseStarting() == false)
        #expect(machine.responseStarted)
        #expect(machine.responseFinished(keepAlive: true, bytesBuffered: false, at: at(2)) == .nextRequest)
        #expect(machine.state == .awaitingHead(started: false, since: at(2)))
    }

    @Test func aPipelinedRequestStartsItsHeadClockAtOnce() {
        var machine = machine()
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))
        _ = machine.responseStarting()
        #expect(machine.responseFinished(keepAlive: true, bytesBuffered: true, at: at(3)) == .nextRequest)
        #expect(machine.state == .awaitingHead(started: true, since: at(3)))
        #expect(machine.deadlinePassed(at: at(14)) == .timeOut)
    }

    @Test func whileAnsweringOnlyAPipelinedHeadsWorthIsRead() {
        var machine = machine()
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))
        #expect(machine.wantsInput(buffered: maxHead, maxHeadBytes: maxHead))
        #expect(!machine.wantsInput(buffered: maxHead + 1, maxHeadBytes: maxHead))
    }

    @Test func aResponseWithoutKeepAliveClosesOnceWritten() {
        var machine = machine()
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))
        #expect(!machine.outputWritten())
        #expect(
            machine.responseFinished(keepAlive: false, bytesBuffered: true, at: at(1))
                == .closeWhenWritten(abandonBody: false))
        #expect(machine.outputWritten())
        #expect(!machine.wantsInput(buffered: 0, maxHeadBytes: maxHead))
    }

    @Test func theClientsEndOfInputEndsTheConnection() {
        var machine = machine()
        #expect(machine.needsMoreBytes() == .none)
        machine.inputDidEnd()
        #expect(!machine.wantsInput(buffered: 0, maxHeadBytes: maxHead))
        #expect(machine.needsMoreBytes() == .close)
    }

    @Test func aClientThatEndedItsInputGetsItsAnswerAndThenTheClose() {
        var machine = machine()
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))
        machine.inputDidEnd()
        #expect(
            machine.responseFinished(keepAlive: true, bytesBuffered: false, at: at(1))
                == .closeWhenWritten(abandonBody: false))
    }

    // MARK: Bodies and 100-continue

    @Test func aBodyIsReadUntilItIsCompleteThenTheConnectionIsKept() {
        var machine = machine()
        machine.headReceived(hasBody: true, expectsContinue: false, at: at(0))
        #expect(machine.wantsInput(buffered: maxHead * 4, maxHeadBytes: maxHead))
        machine.bodyCompleted()
        #expect(machine.responseFinished(keepAlive: true, bytesBuffered: false, at: at(1)) == .nextRequest)
    }

    @Test func aBodyTheUpstreamDidNotReadToItsEndClosesTheConnection() {
        var machine = machine()
        machine.headReceived(hasBody: true, expectsContinue: false, at: at(0))
        #expect(
            machine.responseFinished(keepAlive: true, bytesBuffered: false, at: at(1))
                == .closeWhenWritten(abandonBody: true))
    }

    @Test func readingWaitsWhileTheUpstreamHasNoRoomAndThatPauseIsNotTheClients() {
        var machine = machine()
        machine.headReceived(hasBody: true, expectsContinue: false, at: at(0))
        machine.bodyLacksRoom()
        #expect(!machine.wantsInput(buffered: 0, maxHeadBytes: maxHead))
        #expect(machine.deadlinePassed(at: at(100)) == .none)
        #expect(machine.bodyHasRoom(at: at(100)) == true)
        #expect(machine.bodyHasRoom(at: at(100)) == false)
        #expect(machine.wantsInput(buffered: 0, maxHeadBytes: maxHead))
        #expect(machine.deadlinePassed(at: at(109)) == .none)
        #expect(machine.deadlinePassed(at: at(111)) == .timeOut)
    }

    @Test func eachBodyPauseIsBoundedByTheHeadTimeout() {
        var machine = machine()
        machine.headReceived(hasBody: true, expectsContinue: false, at: at(0))
        machine.bytesArrived(at: at(8))
        #expect(machine.deadlinePassed(at: at(17)) == .none)
        #expect(machine.deadlinePassed(at: at(19)) == .timeOut)
    }

    @Test func continueIsSentOnceWhenTheUpstreamFirstWantsTheBody() {
        var machine = machine()
        machine.headReceived(hasBody: true, expectsContinue: true, at: at(0))
        #expect(machine.upstreamWantsBody() == true)
        #expect(machine.upstreamWantsBody() == false)
    }

    @Test func noContinueAfterTheResponseBegan() {
        var machine = machine()
        machine.headReceived(hasBody: true, expectsContinue: true, at: at(0))
        _ = machine.responseStarting()
        #expect(machine.upstreamWantsBody() == false)
    }

    @Test func noContinueWithoutExpectOrWithoutBody() {
        var plain = machine()
        plain.headReceived(hasBody: true, expectsContinue: false, at: at(0))
        #expect(plain.upstreamWantsBody() == false)
        var bodiless = machine()
        bodiless.headReceived(hasBody: false, expectsContinue: true, at: at(0))
        #expect(bodiless.upstreamWantsBody() == false)
    }

    @Test func anInterceptedTunnelsHandshakeRestartsTheHeadClock() {
        var machine = machine()
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))  // the CONNECT
        _ = machine.responseStarting()
        #expect(machine.responseFinished(keepAlive: true, bytesBuffered: true, at: at(1)) == .nextRequest)
        #expect(machine.deadlinePassed(at: at(12)) == .timeOut)  // a ClientHello trickled past the head timeout
        machine.tunnelEstablished(bytesBuffered: false, at: at(9))
        #expect(machine.state == .awaitingHead(started: false, since: at(9)))
        #expect(machine.deadlinePassed(at: at(60)) == .none)
        #expect(machine.deadlinePassed(at: at(70)) == .close)  // then idle like any kept-alive connection
    }

    // MARK: Deadlines

    @Test func anIdleConnectionClosesAfterTheIdleTimeout() {
        let machine = machine()
        #expect(machine.deadlinePassed(at: at(59)) == .none)
        #expect(machine.deadlinePassed(at: at(61)) == .close)
    }

    @Test func aStartedHeadGetsTheHeadTimeoutFromItsFirstBytes() {
        var machine = machine()
        machine.bytesArrived(at: at(30))
        machine.bytesArrived(at: at(35))  // later bytes do not extend it
        #expect(machine.deadlinePassed(at: at(39)) == .none)
        #expect(machine.deadlinePassed(at: at(41)) == .timeOut)
    }

    @Test func aRequestWithoutBodyBeingAnsweredHasNoClientDeadline() {
        var machine = machine()
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))
        #expect(machine.deadlinePassed(at: at(1000)) == .none)
    }

    // MARK: Errors

    @Test func anErrorBeforeAnyExchangeMayKeepTheConnection() {
        var machine = machine()
        #expect(machine.reject(keepsConnection: true) == .answer(stopExchange: false, keepAlive: true))
        _ = machine.responseStarting()
        #expect(machine.responseFinished(keepAlive: true, bytesBuffered: false, at: at(1)) == .nextRequest)
    }

    @Test func anErrorDuringAnExchangeStopsItAndCloses() {
        var machine = machine()
        machine.headReceived(hasBody: true, expectsContinue: false, at: at(0))
        #expect(machine.reject(keepsConnection: true) == .answer(stopExchange: true, keepAlive: false))
        #expect(
            machine.responseFinished(keepAlive: false, bytesBuffered: false, at: at(1))
                == .closeWhenWritten(abandonBody: false))
    }

    @Test func anErrorAfterTheResponseBeganCutsTheConnection() {
        var machine = machine()
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))
        _ = machine.responseStarting()
        #expect(machine.reject(keepsConnection: false) == .abort)
    }

    // MARK: Drain and close

    @Test func drainClosesAnIdleConnectionAtOnce() {
        var machine = machine()
        #expect(machine.drain() == .close)
    }

    @Test func drainLetsABusyConnectionFinishAndAnnounceTheClose() {
        var machine = machine()
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))
        #expect(machine.drain() == .none)
        #expect(machine.responseStarting() == true)
        #expect(
            machine.responseFinished(keepAlive: true, bytesBuffered: false, at: at(1))
                == .closeWhenWritten(abandonBody: false))
    }

    @Test func aConnectionOpenedWhileDrainingClosesAfterItsFirstResponse() {
        var machine = machine(draining: true)
        machine.bytesArrived(at: at(0))
        machine.headReceived(hasBody: false, expectsContinue: false, at: at(0))
        #expect(machine.responseStarting() == true)
    }

    @Test func closingTwiceIsOneClose() {
        var machine = machine()
        #expect(machine.close() == true)
        #expect(machine.close() == false)
        #expect(machine.responseFinished(keepAlive: true, bytesBuffered: false, at: at(1)) == .none)
        #expect(machine.reject(keepsConnection: true) == .none)
    }
}
