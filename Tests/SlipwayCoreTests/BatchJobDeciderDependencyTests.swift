import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

@Suite("BatchJobDecider: dependencies and size")
struct BatchJobDeciderDependencyTests {
    static func child(arraySize: Int = 1, type: DependencyType) -> BatchJob {
        Fx.job(name: "load", arraySize: arraySize) { spec in
            var dependency = Dependency()
            dependency.name = "extract"
            dependency.type = type
            spec.dependsOn = [dependency]
        }
    }

    @Test func sequentialWaitsForTheParentThenRuns() {
        var sim = Sim(Self.child(type: .sequential))
        sim.dependencies["extract"] = DependencyState(phase: .running)
        #expect(Sim.created(sim.step()).isEmpty)
        #expect(sim.status.phase == .pending)
        #expect(sim.status.message == "waiting for BatchJob extract to succeed")
        sim.dependencies["extract"] = DependencyState(phase: .succeeded, succeededIndexes: IndexRanges([0]))
        #expect(Sim.created(sim.step(advance: 5)) == ["load-0-0"])
    }

    @Test func missingParentIsWaitedFor() {
        var sim = Sim(Self.child(type: .sequential))
        #expect(Sim.created(sim.step()).isEmpty)
        #expect(sim.status.message == "waiting for BatchJob extract, which does not exist yet")
    }

    @Test(arguments: [DependencyType.sequential, .nToN])
    func failedParentFailsTheChild(type: DependencyType) {
        var sim = Sim(Self.child(type: type))
        sim.dependencies["extract"] = DependencyState(phase: .failed)
        #expect(Sim.created(sim.step()).isEmpty)
        #expect(sim.status.phase == .failed)
        #expect(sim.condition("Failed")?.reason == "DependencyFailed")
        #expect(sim.status.message == "BatchJob extract failed, so this job cannot run; it runs when BatchJob extract is retried and succeeds")
    }

    /// An Invalid parent shows phase Failed but can still be fixed (breaking a dependency
    /// cycle does exactly that): its dependents wait for it. Only a Failed condition is final.
    @Test func anInvalidParentIsWaitedForAndOnlyAFailedOneFailsTheChild() {
        var parent = Fx.job(name: "extract")
        parent.status.phase = .failed
        parent.status.conditions.set(.invalid, .true, reason: .invalidSpec, message: "spec is invalid: …", now: Fx.t0, generation: 1)
        #expect(parent.graphNode.state.phase == .running)
        var sim = Sim(Self.child(type: .sequential))
        sim.dependencies["extract"] = parent.graphNode.state
        #expect(Sim.created(sim.step()).isEmpty)
        #expect(sim.status.phase == .pending)
        #expect(sim.status.message == "waiting for BatchJob extract to succeed")
        parent.status.conditions.set(.failed, .true, reason: .indexesFailed, message: "1 of 1 indexes failed", now: Fx.t0, generation: 1)
        sim.dependencies["extract"] = parent.graphNode.state
        sim.step(advance: 5)
        #expect(sim.condition("Failed")?.reason == "DependencyFailed")
    }

    @Test func nToNStartsIndexesTheParentFinished() {
        var sim = Sim(Self.child(arraySize: 3, type: .nToN))
        sim.dependencies["extract"] = DependencyState(phase: .running, succeededIndexes: IndexRanges([0, 2]), arraySize: 3)
        #expect(Sim.created(sim.step()) == ["load-0-0", "load-2-0"])
        sim.dependencies["extract"] = DependencyState(phase: .succeeded, succeededIndexes: IndexRanges([0, 1, 2]), arraySize: 3)
        #expect(Sim.created(sim.step(advance: 5)) == ["load-1-0"])
    }

    @Test func nToNWithUnequalSizesIsInvalid() {
        var sim = Sim(Self.child(arraySize: 3, type: .nToN))
        sim.dependencies["extract"] = DependencyState(phase: .running, arraySize: 5)
        #expect(Sim.created(sim.step()).isEmpty)
        #expect(sim.condition("Invalid")?.status == .true)
        #expect(sim.status.message == "spec is invalid: spec.dependsOn extract is NToN, but its arraySize 5 differs from this job's 3")
    }

    /// 10,000 indexes, 1,000 of them failing with index-specific messages: status stays small.
    @Test func statusOfALargeArrayWithManyFailuresStaysSmall() throws {
        var job = Fx.job(arraySize: 10_000) { $0.retryStrategy.attempts = 1 }
        job.status.succeededIndexes = IndexRanges((0..<10_000).filter { $0 % 10 != 0 }).description
        var pods: [Pod] = []
        for index in stride(from: 0, to: 10_000, by: 10) {
            var pod = try BatchJobPodRenderer.render(job: job, index: index, attempt: 0, resources: nil)
            pod.metadata.uid = "uid-\(index)"
            Fx.failed(&pod, exitCode: Int32(1 + index % 3), message: "ValueError: bad row \(index * 7)", at: Fx.t0)
            pods.append(pod)
        }
        let decision = BatchJobDecider.decide(JobInput(job: job, pods: pods, now: Fx.t0.addingTimeInterval(60)))
        let status = try #require(decision.status)
        #expect(status.failed == 1_000)
        #expect(status.succeeded == 9_000)
        #expect(status.phase == .failed)
        #expect(status.history.count == 50)
        let size = JSON.string(status.json).utf8.count
        #expect(size < 100 * 1024, "status is \(size) bytes")
        #expect(status.indexStates.count <= 3)
    }
}
