import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// What a decision reports about the attempts it records (the controller turns it into
/// metrics), and the operator's default attempts.
@Suite("BatchJobDecider: recorded attempts and default attempts")
struct BatchJobDeciderReportingTests {
    @Test func anOutOfMemoryRetryAndASuccessAreReportedOnce() {
        var sim = Sim(Fx.job(BatchJobDeciderRetryTests.memoryAdapting(max: "4Gi")))
        #expect(sim.step().recorded.isEmpty)
        sim.kubelet("etl-0-0") { Fx.running(&$0, at: $1.addingTimeInterval(3)) }
        sim.kubelet("etl-0-0") { Fx.oomKilled(&$0, at: $1.addingTimeInterval(20)) }
        let failed = sim.step(advance: 30)
        #expect(failed.recorded == [RecordedAttempt(unit: 0, attempt: 0, outcome: .retried, failureClass: .outOfMemory, changes: [.memory], waitSeconds: 3)])
        #expect(sim.step().recorded.isEmpty, "a recorded attempt is not reported again")

        sim.step(advance: 10)
        sim.kubelet("etl-0-1") { Fx.running(&$0, at: $1) }
        sim.kubelet("etl-0-1") { Fx.succeeded(&$0, at: $1) }
        let succeeded = sim.step(advance: 5)
        #expect(succeeded.recorded.map(\.outcome) == [.succeeded])
        #expect(succeeded.recorded.first?.failureClass == nil)
        #expect(succeeded.recorded.first?.changes == [])
    }

    @Test func aFailedIndexIsReportedAsFailed() {
        var sim = Sim(Fx.job { $0.retryStrategy.attempts = 1 })
        sim.step()
        sim.kubelet("etl-0-0") { Fx.failed(&$0, exitCode: 1, at: $1) }
        let decision = sim.step(advance: 10)
        #expect(decision.recorded.map(\.outcome) == [.failed])
        #expect(decision.recorded.first?.failureClass == .appError)
    }

    @Test func theOperatorsDefaultAttemptsApplyWhenTheJobSaysNothing() {
        var job = Fx.job()
        job.spec.retryStrategy.object["attempts"] = nil
        var sim = Sim(job)
        sim.configuration.defaultAttempts = 1
        sim.step()
        sim.kubelet("etl-0-0") { Fx.failed(&$0, exitCode: 1, at: $1) }
        sim.step(advance: 10)
        #expect(sim.status.phase == .failed)
        #expect(sim.condition("Failed")?.message?.contains("1 of 1 attempts used") == true)

        var explicit = Sim(Fx.job { $0.retryStrategy.attempts = 2 })
        explicit.configuration.defaultAttempts = 1
        explicit.step()
        explicit.kubelet("etl-0-0") { Fx.failed(&$0, exitCode: 1, at: $1) }
        explicit.step(advance: 10)
        #expect(explicit.status.phase == .retrying, "the job's own attempts win over the default")
    }
}
