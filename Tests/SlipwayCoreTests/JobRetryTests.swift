import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// Retrying what failed (issue 12): `spec.retryGeneration` re-opens a Failed job — only its
/// failed units run again, with a fresh attempt budget and what they learned — and a job
/// that failed because its parent did re-opens when the parent is retried.
@Suite("JobDecider: retrying a failed job")
struct JobRetryTests {
    static func sixIndexes() -> BatchJob {
        Fx.job(arraySize: 6, memory: "100Mi") { spec in
            spec.retryStrategy.attempts = 1
            var memory = ResourceAdaptation()
            memory.factor = 2
            memory.max = "1Gi"
            spec.adapt.memory = memory
        }
    }

    /// Index 3 runs out of memory at 100Mi with one attempt: the job fails 5/6.
    static func failedSixIndexes() -> Sim {
        var sim = Sim(sixIndexes())
        sim.step()
        for index in 0..<6 {
            sim.kubelet("etl-\(index)-0") { index == 3 ? Fx.oomKilled(&$0, at: $1) : Fx.succeeded(&$0, at: $1) }
        }
        sim.step(advance: 10)
        return sim
    }

    @Test func bumpingRetryGenerationRunsOnlyTheFailedIndexWithWhatItLearned() throws {
        var sim = Self.failedSixIndexes()
        #expect(sim.status.phase == .failed)
        #expect(sim.status.failedIndexes == "3")
        // Nothing happens without a bump.
        #expect(Sim.created(sim.step(advance: 60)).isEmpty)
        sim.job.spec.retryGeneration = 1
        sim.job.metadata.generation = 2
        let decision = sim.step(advance: 1)
        #expect(Sim.created(decision) == ["etl-3-1"], "exactly one new pod, the next attempt number")
        let pod = try #require(sim.pods["etl-3-1"])
        #expect(pod.spec.containers[0].resources.limits["memory"]?.description == "200Mi", "the memory it learned")
        #expect(sim.status.phase == .running)
        #expect(sim.status.retryGeneration == 1)
        #expect(sim.condition("Failed")?.status == .false)
        #expect(sim.condition("Failed")?.reason == "Retried")
        #expect(sim.events.contains { $0.reason == "Retried" && $0.message.contains("1 failed index (3)") })
        sim.kubelet("etl-3-1") { Fx.succeeded(&$0, at: $1) }
        sim.step(advance: 10)
        #expect(sim.status.phase == .succeeded)
        #expect(sim.status.succeededIndexes == "0-5")
        #expect(sim.status.attempts == 7)
        // A bump already acted on does nothing more.
        #expect(Sim.created(sim.step(advance: 60)).isEmpty)
    }

    @Test func aBumpOnAJobThatHasNotFailedIsOnlyNoted() {
        var sim = Sim(Self.sixIndexes())
        sim.job.spec.retryGeneration = 4
        sim.step()
        #expect(sim.status.retryGeneration == 4)
        for index in 0..<6 { sim.kubelet("etl-\(index)-0") { index == 3 ? Fx.oomKilled(&$0, at: $1) : Fx.succeeded(&$0, at: $1) } }
        sim.step(advance: 10)
        #expect(sim.status.phase == .failed, "an earlier bump does not retry a later failure")
    }

    @Test func aDependentOfAFailedParentReopensWhenTheParentIsRetried() {
        var sim = Sim(BatchJobDeciderDependencyTests.child(type: .sequential))
        sim.dependencies["extract"] = DependencyState(phase: .failed)
        #expect(Sim.created(sim.step()).isEmpty)
        #expect(sim.condition("Failed")?.reason == "DependencyFailed")
        #expect(sim.status.attempts == 0, "it never ran")
        // The parent is retried: it runs again.
        sim.dependencies["extract"] = DependencyState(phase: .running)
        #expect(Sim.created(sim.step(advance: 5)).isEmpty)
        #expect(sim.status.phase == .pending)
        #expect(sim.condition("Failed")?.reason == "DependencyRetried")
        #expect(sim.status.message == "waiting for BatchJob extract to succeed")
        sim.dependencies["extract"] = DependencyState(phase: .succeeded, succeededIndexes: IndexRanges([0]))
        #expect(Sim.created(sim.step(advance: 5)) == ["load-0-0"])
    }

    @Test func aRetriedSparkJobStartsANewAttemptWithItsLearnedSettings() throws {
        var sim = SparkSimulation(SparkJobDeciderBoundsTests.spec(attempts: 1, extra: #", "adapt": {"driverMemory": {"factor": 2, "max": "4g"}}"#))
        sim.decide()
        sim.setDriver(0, phase: "Failed", state: SparkSimulation.terminated(137, "OOMKilled"))
        sim.decide()
        #expect(sim.job.status.phase == .failed)
        sim.job.spec.retryGeneration = 1
        sim.decide()
        let submit = try #require(sim.submits.first)
        #expect(submit.driverPod.metadata.name == "etl-1-driver")
        #expect(SparkSimulation.driverMemory(submit) == "2432Mi", "2g learned from the OOM, plus overhead")
        #expect(sim.job.status.phase != .failed)
    }
}
