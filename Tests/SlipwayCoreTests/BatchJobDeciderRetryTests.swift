import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

@Suite("BatchJobDecider: retries and adaptation")
struct BatchJobDeciderRetryTests {
    static func memoryAdapting(max: Quantity) -> (inout BatchJobSpec) -> Void {
        { spec in
            var memory = ResourceAdaptation()
            memory.factor = 2
            memory.max = max
            spec.adapt.memory = memory
        }
    }

    @Test func outOfMemoryRetriesWithMoreMemoryAndSucceeds() throws {
        var sim = Sim(Fx.job(Self.memoryAdapting(max: "4Gi")))
        sim.step()
        sim.kubelet("etl-0-0") { Fx.oomKilled(&$0, at: $1) }
        let failed = sim.step(advance: 30)
        #expect(Sim.created(failed).isEmpty)
        #expect(Sim.released(failed) == ["etl-0-0"])
        #expect(failed.requeueAfter == .seconds(10))
        #expect(sim.status.phase == .retrying)
        #expect(sim.status.nextRetryTime == Fx.t0.addingTimeInterval(40))
        let state = try #require(sim.status.indexStates.first)
        #expect((state.indexes, state.attempt, state.countedFailures, state.memory) == ("0", 1, 1, "1Gi"))
        #expect(sim.events.contains { $0.reason == "Adapted" && $0.message == "Index 0: memory 512Mi → 1Gi after OOMKilled" })
        #expect(sim.events.contains { $0.reason == "AttemptFailed" && $0.message.contains("OutOfMemory") && $0.message.contains("exit 137") })
        #expect(sim.status.message?.contains("index 0 retrying after OutOfMemory (memory 512Mi → 1Gi after OOMKilled)") == true)

        let retry = sim.step(advance: 10)
        #expect(Sim.created(retry) == ["etl-0-1"])
        let pod = try #require(sim.pods["etl-0-1"])
        #expect(pod.spec.containers[0].resources.limits["memory"] == "1Gi")
        #expect(pod.spec.containers[0].resources.requests["memory"] == "1Gi")
        #expect(sim.events.last?.message == "Created pod etl-0-1 for index 0 attempt 1 (memory 1Gi)")

        sim.kubelet("etl-0-1") { Fx.succeeded(&$0, at: $1) }
        sim.step(advance: 30)
        #expect(sim.status.phase == .succeeded)
        let history = sim.status.history
        #expect(history.map(\.attempt) == [0, 1])
        #expect(history.map(\.exitCode) == [137, 0])
        #expect(history.map(\.reason) == ["OOMKilled", nil])
        #expect(history.map(\.failureClass) == [.outOfMemory, nil])
        #expect(history.map(\.memory) == ["512Mi", "1Gi"])
        #expect(history.map(\.adaptations) == [["memory 512Mi → 1Gi after OOMKilled"], []], "an attempt records what the next one changes")
        #expect(sim.status.attempts == 2)
    }

    @Test func outOfMemoryAtTheCapFailsTheIndex() {
        var sim = Sim(Fx.job(Self.memoryAdapting(max: "512Mi")))
        sim.step()
        sim.kubelet("etl-0-0") { Fx.oomKilled(&$0, at: $1) }
        sim.step(advance: 30)
        #expect(sim.status.failedIndexes == "0")
        #expect(sim.status.phase == .failed)
        let message = sim.condition("Failed")?.message ?? ""
        #expect(message.contains("1 of 1 indexes failed (0); index 0: OutOfMemory"))
        #expect(message.contains("memory is already at the cap 512Mi (adapt.memory.max)"))
        #expect(sim.events.contains { $0.reason == "IndexFailed" && $0.message.contains("at the cap 512Mi") })
    }

    @Test func interruptedSpotAttemptRetriesOnDemandWithoutCounting() throws {
        var sim = Sim(Fx.job { spec in
            spec.retryStrategy.attempts = 1
            spec.template.spec.nodeSelector = [Fx.capacityKey: "spot"]
            var onDemand = CapacityAdaptation()
            onDemand.onDemandAfter.classes = [.interrupted]
            spec.adapt.capacity = onDemand
        })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.running(&$0, node: "node-spot", at: $1) }
        sim.step(advance: 10)
        sim.kubelet("etl-0-0") { Fx.disrupted(&$0, at: $1) }
        let retried = sim.step(advance: 10)
        #expect(Sim.created(retried) == ["etl-0-1"])
        #expect(sim.pods["etl-0-1"]?.spec.nodeSelector[Fx.capacityKey] == "on-demand")
        let record = try #require(sim.status.history.first)
        #expect((record.failureClass, record.counted, record.capacityType, record.exitCode) == (.interrupted, false, "spot", 143))
        #expect(sim.status.indexStates.first?.countedFailures == 0)
        #expect(sim.events.contains { $0.message == "Index 0: capacity spot → on-demand after Interrupted" })
        #expect(sim.events.last?.message == "Created pod etl-0-1 for index 0 attempt 1 (memory 512Mi, on-demand)")

        sim.kubelet("etl-0-1") { Fx.running(&$0, node: "node-od", at: $1) }
        sim.kubelet("etl-0-1") { Fx.succeeded(&$0, at: $1) }
        sim.step(advance: 10)
        #expect(sim.status.phase == .succeeded)
        #expect(sim.status.history.map(\.capacityType) == ["spot", "on-demand"])
    }

    @Test func exitOneFailsAfterTwoCountedAttemptsWithBackoff() {
        var sim = Sim(Fx.job { $0.retryStrategy.attempts = 2 })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.failed(&$0, exitCode: 1, message: "Traceback\nValueError: bad row 7", at: $1) }
        let first = sim.step(advance: 10)
        #expect(first.requeueAfter == .seconds(10))
        #expect(sim.status.history.first?.message == "ValueError: bad row 7")
        #expect(sim.events.contains { $0.message.hasSuffix("retrying in 10s (1 of 2 attempts used, no rule matched)") })
        #expect(Sim.created(sim.step(advance: 5)).isEmpty)
        #expect(Sim.created(sim.step(advance: 5)) == ["etl-0-1"])
        sim.kubelet("etl-0-1") { Fx.failed(&$0, exitCode: 1, at: $1) }
        sim.step(advance: 10)
        #expect(sim.status.phase == .failed)
        #expect(sim.condition("Failed")?.message?.contains("2 of 2 attempts used") == true)
        #expect(sim.status.history.map(\.counted) == [true, true])
        #expect(Sim.created(sim.step(advance: 600)).isEmpty)
    }

    @Test(arguments: [(Int32(3), true), (Int32(4), false)])
    func ruleFailOnExitThree(exitCode: Int32, failsAtOnce: Bool) {
        var sim = Sim(Fx.job { $0.retryStrategy.rules = [RetryRule(action: .fail, exitCodes: ["3"])] })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.failed(&$0, exitCode: exitCode, at: $1) }
        sim.step(advance: 10)
        #expect((sim.status.phase == .failed) == failsAtOnce)
        #expect((sim.status.failedIndexes == "0") == failsAtOnce)
        if failsAtOnce { #expect(sim.condition("Failed")?.message?.contains("rule 0 says Fail") == true) }
    }

    @Test func imagePullPastTheStartTimeoutIsAStartFailure() {
        var sim = Sim(Fx.job { $0.timeouts.startSeconds = 300 })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.imagePullFailing(&$0, at: $1) }
        let early = sim.step(advance: 100)
        #expect(early.requeueAfter == .seconds(200))
        #expect(Sim.deleted(early).isEmpty)
        let timedOut = sim.step(advance: 200)
        #expect(Sim.deleted(timedOut) == ["etl-0-0"])
        #expect(Sim.released(timedOut) == ["etl-0-0"])
        #expect(sim.status.history.first?.failureClass == .startFailure)
        #expect(sim.status.phase == .failed)
    }

    /// Issue 12: no start timeout in the spec still ends the wait (the operator's default),
    /// and the pending message quotes the kubelet's pull error, not its bare `Error: ErrImagePull`.
    @Test func aBadImageWithoutAStartTimeoutFailsAfterTheOperatorsDefault() {
        var sim = Sim(Fx.job())
        sim.configuration.startFailureTimeout = .seconds(300)
        sim.step()
        sim.kubelet("etl-0-0") { Fx.imagePullFailing(&$0, at: $1) }
        let pull = #"Failed to pull image "python:nope": rpc error: code = NotFound desc = not found"#
        sim.podEvents["etl-0-0"] = [AttemptEvent(reason: "Failed", message: pull), AttemptEvent(reason: "Failed", message: "Error: ErrImagePull")]
        let early = sim.step(advance: 100)
        #expect(early.requeueAfter == .seconds(200), "woken when the default bound passes")
        #expect(sim.status.message == "0 of 1 indexes running, 0 succeeded; index 0 attempt 0 is pending: Failed: \(pull)")
        sim.step(advance: 200)
        #expect(sim.status.phase == .failed)
        #expect(sim.status.history.first?.failureClass == .startFailure)
        #expect(sim.status.history.first?.message == pull)
    }

    @Test func unschedulableAttemptQuotesTheSchedulerThenRetries() {
        var sim = Sim(Fx.job { $0.timeouts.startSeconds = 60 })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.unschedulable(&$0, at: $1) }
        sim.podEvents["etl-0-0"] = [Fx.failedScheduling(), Fx.failedScheduling()]
        sim.step(advance: 30)
        #expect(sim.status.message == "0 of 1 indexes running, 0 succeeded; index 0 attempt 0 is pending: FailedScheduling: \(Fx.schedulerMessage)")
        let timedOut = sim.step(advance: 30)
        #expect(Sim.deleted(timedOut) == ["etl-0-0"])
        let record = sim.status.history.first
        #expect(record?.failureClass == .unschedulable)
        #expect(record?.message == Fx.schedulerMessage)
        #expect(record?.events.map(\.count) == [2])
        #expect(sim.status.phase == .retrying)
    }
}
