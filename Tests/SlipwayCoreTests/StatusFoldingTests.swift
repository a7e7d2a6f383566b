import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// Fewer writes (issue 14): which status writes may wait to be folded into the next one
/// (``JobDecision/statusCanWait``), and that a write that never happened loses nothing —
/// the next decision records the launch from the pod, as if it had been written.
@Suite("JobDecider: status writes that may wait")
struct StatusFoldingTests {
    /// A one-pod BatchJob whose progress writes are all held back: the one write that
    /// remains records the same attempt, start time and outcome as three writes did.
    @Test func aShortPodCostsOneStatusWriteAndLosesNothing() throws {
        var folded = Sim(Fx.job())
        var written = Sim(Fx.job())

        // Create: the launch may wait (the pod records it).
        let create = BatchJobDecider.decide(folded.input)
        #expect(create.statusCanWait)
        #expect(Sim.created(create) == ["etl-0-0"])
        folded.apply(JobDecision(status: nil, actions: create.actions))
        written.step()

        // Running: progress only, may wait; the decision records the launch from the pod.
        folded.kubelet("etl-0-0") { Fx.running(&$0, at: $1) }
        written.kubelet("etl-0-0") { Fx.running(&$0, at: $1) }
        folded.now = folded.now.addingTimeInterval(5)
        let running = BatchJobDecider.decide(folded.input)
        #expect(running.statusCanWait)
        #expect(running.actions.isEmpty, "nothing is created twice")
        #expect(running.status?.attempts == 1)
        #expect(running.status?.startTime == Fx.t0)
        #expect(running.status?.indexStates.first?.launchedAt == Fx.t0, "from the pod's slipway.dev/launched-at")
        #expect(running.status?.phase == .running)
        written.step(advance: 5)

        // Succeeded: recorded in history, released, announced: written at once.
        folded.kubelet("etl-0-0") { Fx.succeeded(&$0, at: $1) }
        written.kubelet("etl-0-0") { Fx.succeeded(&$0, at: $1) }
        let done = folded.step(advance: 5)
        written.step(advance: 5)
        #expect(!done.statusCanWait)
        #expect(Sim.released(done) == ["etl-0-0"])
        #expect(folded.events.map(\.reason) == ["Completed"])
        for key in ["attempts", "startTime", "completionTime", "history", "phase", "succeededIndexes", "duration", "message"] {
            #expect(folded.status.object[key] == written.status.object[key], "\(key)")
        }
        #expect(folded.condition("Started")?.status == .true)
        #expect(folded.condition("Succeeded")?.status == .true)
    }

    /// Counts alone (what a queue's verdict did not fill in) are not worth a write of their
    /// own; a phase change is shown, so it is written within the window.
    @Test func countsAloneAreNotWrittenOnTheirOwn() {
        var sim = Sim(Fx.job())
        sim.step()
        sim.job.status.object["pending"] = nil
        sim.job.status.object["total"] = nil
        let counts = BatchJobDecider.decide(sim.input)
        #expect(counts.statusCanWait && counts.statusOnlyRefreshesCounts)
        #expect(counts.status?.object["pending"] != nil)
        #expect(!counts.statusOnlyRewordsTheMessage)
        // Only the message differs from what was written: it may wait the longer window.
        sim.job.status.message = "an older message"
        let reworded = BatchJobDecider.decide(sim.input)
        #expect(reworded.statusCanWait && reworded.statusOnlyRewordsTheMessage && !reworded.statusOnlyRefreshesCounts)
        sim.kubelet("etl-0-0") { Fx.running(&$0, at: $1) }
        let running = BatchJobDecider.decide(sim.input)
        #expect(running.statusCanWait && !running.statusOnlyRefreshesCounts && !running.statusOnlyRewordsTheMessage)
    }

    /// What must be written before what follows it is never held back: a recorded failure
    /// (history, release, events), the retry's create (announced), a terminal phase.
    @Test func recordsReleasesAndEventsAreWrittenAtOnce() throws {
        var sim = Sim(Fx.job { $0.retryStrategy.attempts = 2 })
        #expect(sim.step().statusCanWait)
        sim.kubelet("etl-0-0") { Fx.failed(&$0, exitCode: 1, at: $1) }
        let failed = sim.step(advance: 5)
        #expect(!failed.statusCanWait)
        #expect(Sim.released(failed) == ["etl-0-0"])
        var retry = sim.step(advance: 600)
        while Sim.created(retry).isEmpty { retry = sim.step(advance: 600) }
        #expect(Sim.created(retry) == ["etl-0-1"])
        #expect(!retry.statusCanWait, "a retry leaves Retrying and announces its attempt")
        #expect(sim.events.last?.reason == "AttemptStarted")
    }

    /// A SparkJob's submission may wait too: deciding again without the write submits
    /// nothing new, and after a restart (the creation not known complete) the attempt is
    /// rendered again with the same spark.app.submitTime, read from the driver pod.
    @Test func aSparkSubmissionNeedsNoStatusWriteFirst() throws {
        var sim = SparkSimulation(SparkJobDeciderTests.adaptive)
        let first = sim.decide(writeStatus: false)
        #expect(first.statusCanWait)
        #expect(sim.submits.count == 1)
        let submitTime = try #require(SparkSimulation.property(sim.submits[0], "spark.app.submitTime"))
        #expect(sim.job.status.attempts == 0, "not written")

        let again = sim.decide(after: 30, writeStatus: false)
        #expect(sim.submits.isEmpty)
        #expect(again.statusCanWait)
        #expect(again.status?.attempts == 1)
        #expect(again.status?.current.launchedAt == SparkSimulation.t0.addingTimeInterval(1))

        // An operator restart forgets which creations completed: the attempt is created
        // again (the pod adopted, its Service and ConfigMap applied) exactly as before.
        sim.completeSubmissions = []
        sim.decide(after: 1, writeStatus: false)
        #expect(sim.submits.count == 1)
        #expect(SparkSimulation.property(sim.submits[0], "spark.app.submitTime") == submitTime)
    }
}
