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
        #expect(running.statusUrgency == .batched, "Running is written within one window")
    }

    /// Progress before any pod runs (Pending, a SparkJob's Submitted) waits the longer
    /// window: its write then says Running, or why the pod does not start.
    @Test func progressBeforeAnyPodRunsWaitsTheLongerWindow() {
        var batch = Sim(Fx.job())
        let launch = BatchJobDecider.decide(batch.input)
        #expect(launch.status?.phase == .pending)
        #expect(launch.statusUrgency == .starting)
        batch.apply(JobDecision(status: nil, actions: launch.actions))
        batch.kubelet("etl-0-0") { Fx.running(&$0, at: $1) }
        #expect(BatchJobDecider.decide(batch.input).statusUrgency == .batched)

        var spark = SparkSimulation(SparkJobDeciderTests.adaptive)
        let submitting = spark.decide(writeStatus: false)
        #expect(submitting.status?.phase == .pending)
        #expect(submitting.statusUrgency == .starting)
        let submitted = spark.decide(after: 1, writeStatus: false)
        #expect(submitted.status?.phase == .submitted)
        #expect(submitted.statusUrgency == .starting)
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

/// ``StatusHold``: when a status write held back is due.
@Suite("StatusHold: when a held-back status write is due")
struct StatusHoldTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    /// A new job: Pending waits the longer window; Running, seen later, once it is a window
    /// old; a pod that ends before either is due costs no progress write at all.
    @Test func aPhaseIsWrittenOnceItIsAWindowOld() {
        var hold = StatusHold()
        #expect(hold.hold(.pending, urgency: .starting, at: Self.at(0), window: 1, longWindow: 5) == Self.at(5))
        #expect(hold.hold(.pending, urgency: .starting, at: Self.at(0.7), window: 1, longWindow: 5) == Self.at(5), "the same phase: the same due time")
        #expect(hold.hold(.running, urgency: .batched, at: Self.at(1.5), window: 1, longWindow: 5) == Self.at(2.5))
        #expect(hold.hold(.running, urgency: .batched, at: Self.at(2), window: 1, longWindow: 5) == Self.at(2.5))
    }

    /// However the phase moves, nothing waits longer than the longer window after the first
    /// change held back.
    @Test func nothingWaitsLongerThanTheLongerWindow() {
        var hold = StatusHold()
        _ = hold.hold(.pending, urgency: .starting, at: Self.at(0), window: 1, longWindow: 5)
        #expect(hold.hold(.running, urgency: .batched, at: Self.at(4.8), window: 1, longWindow: 5) == Self.at(5))
        #expect(hold.hold(.pending, urgency: .starting, at: Self.at(4.9), window: 1, longWindow: 5) == Self.at(5))
        #expect(hold.hold(.running, urgency: .batched, at: Self.at(7), window: 1, longWindow: 5) == Self.at(5), "overdue: write now")
    }

    /// After a write (this process's, or another writer's condition transition) the next
    /// is at least a window later; a write starts a new hold.
    @Test func writesAreAWindowApart() {
        var hold = StatusHold()
        hold.written(at: Self.at(10))
        #expect(hold.held == nil && hold.lastWrite == Self.at(10))
        // Running seen 0.2 s after the write: a window old at 11.2.
        #expect(hold.hold(.running, urgency: .batched, at: Self.at(10.2), window: 1, longWindow: 5) == Self.at(11.2))
        var message = StatusHold()
        message.written(at: Self.at(10))
        #expect(message.hold(.pending, urgency: .message, at: Self.at(10.1), window: 1, longWindow: 5) == Self.at(15.1))
        var queued = StatusHold()
        #expect(queued.hold(.running, urgency: .batched, at: Self.at(20), otherWrite: Self.at(20.5), window: 1, longWindow: 5) == Self.at(21.5),
                "the queue controller's verdict written at 20.5")
        #expect(queued.newest == Self.at(20))
    }
}

