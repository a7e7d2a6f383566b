import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

typealias Sim = DeciderSimulation
typealias Fx = BatchJobFixtures

@Suite("BatchJobDecider: lifecycle")
struct BatchJobDeciderTests {
    @Test func helloArrayOfThreeRunsAndSucceeds() throws {
        var sim = Sim(Fx.job(arraySize: 3))
        let first = sim.step()
        #expect(Sim.created(first) == ["etl-0-0", "etl-1-0", "etl-2-0"])
        #expect(sim.status.phase == .pending)
        #expect(sim.status.attempts == 3)
        #expect(sim.status.startTime == Fx.t0)
        #expect(sim.condition("Started")?.status == .true)
        // First attempts are what the status says: no Event each (issue 14: fewer writes).
        #expect(sim.events.isEmpty)
        #expect(first.statusCanWait, "only progress changed: the write may be folded into the next")
        #expect(sim.pods["etl-0-0"]?.metadata.annotations["slipway.dev/launched-at"] == "2027-01-15T08:00:00Z")

        for name in sim.podNames { sim.kubelet(name) { Fx.running(&$0, at: $1) } }
        let running = sim.step(advance: 5)
        #expect(running.actions.isEmpty)
        #expect(sim.status.phase == .running)
        #expect((sim.status.running, sim.status.pending) == (3, 0))
        #expect(sim.status.message == "3 of 3 indexes running, 0 succeeded")

        for name in sim.podNames { sim.kubelet(name) { Fx.succeeded(&$0, at: $1) } }
        let done = sim.step(advance: 5)
        #expect(Sim.released(done) == ["etl-0-0", "etl-1-0", "etl-2-0"])
        #expect(sim.status.phase == .succeeded)
        #expect(sim.condition("Succeeded")?.status == .true)
        #expect(sim.status.completionTime == Fx.t0.addingTimeInterval(10))
        #expect(sim.status.progress == "3/3")
        #expect(sim.status.succeededIndexes == "0-2")
        #expect(sim.status.history.map(\.exitCode) == [0, 0, 0])
        #expect(sim.events.last?.reason == "Completed")
        #expect(sim.status.message == "all 3 indexes succeeded")
        #expect(sim.status.indexStates.isEmpty)

        let again = sim.step(advance: 5)
        #expect(again.actions.isEmpty)
        #expect(sim.status.history.count == 3)
        #expect(sim.condition("Succeeded")?.lastTransitionTime == Fx.t0.addingTimeInterval(10))
    }

    @Test func sameObservationTwiceCreatesAndRecordsNothingNew() throws {
        var sim = Sim(Fx.job(arraySize: 2))
        sim.step()
        sim.kubelet("etl-0-0") { Fx.failed(&$0, exitCode: 1, at: $1) }
        sim.kubelet("etl-1-0") { Fx.succeeded(&$0, at: $1) }
        let input = sim.input
        let first = BatchJobDecider.decide(input)
        var replay = input
        replay.job.status = try #require(first.status)
        let second = BatchJobDecider.decide(replay)
        #expect(Sim.created(second).isEmpty)
        #expect(second.status?.history.count == first.status?.history.count)
        #expect(second.status?.attempts == first.status?.attempts)
        #expect(!second.actions.contains { if case .event = $0 { return true } else { return false } })
    }

    @Test func requestedPodsNotYetInTheCacheAreNotRequestedAgain() throws {
        var sim = Sim(Fx.job(arraySize: 3))
        let first = BatchJobDecider.decide(sim.input)
        #expect(Sim.created(first).count == 3)
        sim.job.status = try #require(first.status)  // status written, cache has no pod yet
        let lagging = BatchJobDecider.decide(sim.input)
        #expect(Sim.created(lagging).isEmpty)
        #expect(lagging.status?.attempts == 3)
        #expect(lagging.requeueAfter == .seconds(BatchJobDecider.createGrace))

        sim.job.status = try #require(lagging.status)
        sim.now = sim.now.addingTimeInterval(BatchJobDecider.createGrace)
        let retried = BatchJobDecider.decide(sim.input)
        #expect(Sim.created(retried) == ["etl-0-0", "etl-1-0", "etl-2-0"])
        #expect(retried.status?.attempts == 3)
    }

    /// A create the controller saw fail (a 500, a timeout) is requested again at once, not
    /// after the grace that covers a create which may have worked; attempts stay counted once.
    @Test func aPodWhoseCreateFailedIsRequestedAgainAtOnce() throws {
        var sim = Sim(Fx.job(arraySize: 3))
        let first = BatchJobDecider.decide(sim.input)
        sim.job.status = try #require(first.status)
        var input = sim.input
        input.creations.failed = ["etl-1-0"]
        let retried = BatchJobDecider.decide(input)
        #expect(Sim.created(retried) == ["etl-1-0"])
        #expect(retried.status?.attempts == 3)
    }

    /// A create the API server refused for good (Invalid, BadRequest, Forbidden) cannot
    /// work on a retry: the job fails, quoting the server and naming the pod, instead of
    /// requesting the same pod again for ever. A refusal of another attempt's pod is not this
    /// attempt's.
    @Test func aPodCreateTheServerRefusedFailsTheJobQuotingTheServer() throws {
        var sim = Sim(Fx.job(arraySize: 3))
        let first = BatchJobDecider.decide(sim.input)
        sim.job.status = try #require(first.status)
        var input = sim.input
        let answer = #"422 Invalid: Pod "etl-1-0" is invalid: spec.containers[1].name: Duplicate value: "main""#
        input.creations.failed = ["etl-1-0"]
        input.creations.refused = ["etl-1-7": answer]
        let stale = BatchJobDecider.decide(input)
        #expect(stale.status?.phase != .failed)
        #expect(Sim.created(stale) == ["etl-1-0"])

        input.creations.refused = ["etl-1-0": answer]
        let refused = BatchJobDecider.decide(input)
        let status = try #require(refused.status)
        #expect(status.phase == .failed)
        let failed = try #require(status.conditions.first { $0.type == "Failed" })
        #expect(failed.reason == "CreateRefused")
        #expect(failed.message?.contains("etl-1-0") == true && failed.message?.contains(answer) == true, "\(failed)")
        #expect(Sim.created(refused).isEmpty, "nothing is requested again")
        let warnings = refused.actions.compactMap { if case .event(.warning, let reason, let message) = $0 { "\(reason.rawValue): \(message)" } else { nil } }
        #expect(warnings.contains { $0.hasPrefix("Failed: ") && $0.contains("Duplicate value") }, "\(warnings)")

        // Written and decided again, the job stays Failed and requests nothing.
        input.job.status = status
        let again = BatchJobDecider.decide(input)
        #expect(Sim.created(again).isEmpty)
        #expect((again.status ?? status).phase == .failed)
    }

    @Test func parallelismTwoOfFive() {
        var sim = Sim(Fx.job(arraySize: 5) { $0.parallelism = 2 })
        #expect(Sim.created(sim.step()) == ["etl-0-0", "etl-1-0"])
        #expect(Sim.created(sim.step(advance: 1)).isEmpty)
        sim.kubelet("etl-0-0") { Fx.succeeded(&$0, at: $1) }
        #expect(Sim.created(sim.step(advance: 1)) == ["etl-2-0"])
        sim.kubelet("etl-1-0") { Fx.succeeded(&$0, at: $1) }
        sim.kubelet("etl-2-0") { Fx.succeeded(&$0, at: $1) }
        #expect(Sim.created(sim.step(advance: 1)) == ["etl-3-0", "etl-4-0"])
        #expect(sim.status.succeededIndexes == "0-2")
        #expect(sim.status.progress == "3/5")
    }

    @Test func suspendDeletesActivePodsAndResumeStartsTheNextAttempt() {
        var sim = Sim(Fx.job(arraySize: 2))
        sim.step()
        sim.kubelet("etl-0-0") { Fx.running(&$0, at: $1) }
        sim.job.spec.suspend = true
        let suspended = sim.step(advance: 5)
        #expect(Sim.deleted(suspended) == ["etl-0-0", "etl-1-0"])
        #expect(sim.status.phase == .suspended)
        #expect(sim.condition("Suspended")?.status == .true)
        #expect(sim.status.history.map(\.reason) == ["Suspended", "Suspended"])
        #expect(sim.status.history.allSatisfy { $0.counted == false })
        #expect(sim.pods.isEmpty)
        #expect(Sim.created(sim.step(advance: 5)).isEmpty)

        sim.job.spec.suspend = false
        let resumed = sim.step(advance: 5)
        #expect(Sim.created(resumed) == ["etl-0-1", "etl-1-1"])
        #expect(sim.condition("Suspended")?.status == .false)
        #expect(sim.status.phase == .pending)
    }

    @Test func totalDeadlineFailsTheJob() {
        var sim = Sim(Fx.job(arraySize: 2) { $0.timeouts.totalSeconds = 60 })
        let first = sim.step()
        #expect(first.requeueAfter == .seconds(60))
        sim.kubelet("etl-0-0") { Fx.running(&$0, at: $1) }
        let late = sim.step(advance: 60)
        #expect(Sim.deleted(late) == ["etl-0-0", "etl-1-0"])
        #expect(sim.status.phase == .failed)
        #expect(sim.condition("Failed")?.reason == "DeadlineExceeded")
        #expect(sim.status.message == "the job ran longer than timeouts.totalSeconds (60s)")
        #expect(Sim.created(sim.step(advance: 5)).isEmpty)
    }

    @Test func ttlDeletesTheJobOnceItPassed() {
        var sim = Sim(Fx.job { $0.ttlSecondsAfterFinished = 100 })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.succeeded(&$0, at: $1) }
        let done = sim.step(advance: 10)
        #expect(done.requeueAfter == .seconds(100))
        #expect(!done.actions.contains(.deleteJob))
        #expect(!sim.step(advance: 99).actions.contains(.deleteJob))
        #expect(sim.step(advance: 1).actions.last == .deleteJob)
    }

    @Test(arguments: [
        (false, "spec is invalid: spec.retryStrategy.rules[0].exitCodes[0]: range \"5-3\" is reversed; write \"3-5\""),
        (true, "spec is invalid: spec.dependsOn forms a cycle: BatchJob etl → SparkJob load → BatchJob etl"),
    ])
    func invalidJobsGetTheConditionAndNoPods(cycle: Bool, message: String) {
        let job = Fx.job(arraySize: 2) { spec in
            if cycle {
                var dependency = Dependency()
                dependency.name = "load"
                dependency.kind = "SparkJob"
                spec.dependsOn = [dependency]
            } else {
                spec.retryStrategy.rules = [RetryRule(action: .retry, exitCodes: ["5-3"])]
            }
        }
        var graph = JobGraph(nodes: [JobReference(job): job.graphNode])
        let load = JobReference(kind: "SparkJob", namespace: "data", name: "load")
        graph.nodes[load] = JobGraphNode(state: DependencyState(phase: .running), parents: [JobReference(job)])
        let decision = BatchJobDecider.decide(JobInput(job: job, graph: cycle ? graph : JobGraph(), now: Fx.t0))
        #expect(Sim.created(decision).isEmpty)
        #expect(decision.status?.phase == .failed)
        let invalid = decision.status?.conditions.first { $0.type == "Invalid" }
        #expect(invalid?.status == .true)
        #expect(invalid?.message == message)
        #expect(invalid?.observedGeneration == 1)
        #expect(decision.status?.message == message)
    }

    @Test func fixingAnInvalidJobClearsTheCondition() {
        var sim = Sim(Fx.job { $0.retryStrategy.rules = [RetryRule(action: .retry, exitCodes: ["300"])] })
        sim.step()
        #expect(sim.events.map(\.reason) == ["Invalid"])
        #expect(sim.status.phase == .failed)
        sim.job.spec.retryStrategy.rules = []
        sim.job.metadata.generation = 2
        #expect(Sim.created(sim.step(advance: 5)) == ["etl-0-0"])
        #expect(sim.condition("Invalid")?.status == .false)
        #expect(sim.condition("Invalid")?.observedGeneration == 2)
        #expect(sim.status.observedGeneration == 2)
        #expect(sim.status.phase == .pending)
    }

    /// Validation runs inside decide: the message names the field and the fix.
    @Test func missingParameterMakesTheJobInvalid() {
        var job = Fx.job()
        job.spec.template.spec.containers[0].args = ["$(params.table)"]
        let decision = BatchJobDecider.decide(JobInput(job: job, now: Fx.t0))
        #expect(Sim.created(decision).isEmpty)
        let message = decision.status?.message ?? ""
        #expect(message.hasPrefix("spec is invalid: spec.template.spec.containers[0].args[0]: "), "\(message)")
        #expect(message.contains("references undefined parameter \"table\"; define it in spec.parameters"), "\(message)")
    }
}
