import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// The job side of queue admission in the decider: a job with `spec.queue` creates pods
/// only while its recorded admission covers its request; a terminal verdict ends it.
@Suite("JobDecider: queue admission gate")
struct JobDeciderQueueTests {
    static let t0 = BatchJobFixtures.t0

    static func queued(_ change: (inout BatchJob) -> Void = { _ in }) -> BatchJob {
        var job = BatchJobFixtures.job(arraySize: 3) { spec in
            spec.queue = "etl"
            spec.parallelism = 2
        }
        change(&job)
        return job
    }

    static func admit(_ job: inout BatchJob, memory: String = "1Gi") {
        job.status.admission = QueueRequest(pods: 2, resources: ["memory": try! Quantity(memory), "cpu": Quantity(1)]).record(queue: "etl", time: t0)
        job.status.conditions.set(.admitted, .true, reason: .admitted, message: "admitted", now: t0, generation: 1)
    }

    static func creates(_ decision: JobDecision<BatchJobStatus>) -> Int {
        decision.actions.filter { if case .create = $0 { true } else { false } }.count
    }

    @Test func withoutAQueueTheJobRunsAtOnce() {
        let job = BatchJobFixtures.job(arraySize: 3) { $0.parallelism = 2 }
        #expect(Self.creates(JobDecider<BatchJob>.decide(JobInput(job: job, now: Self.t0))) == 2)
    }

    @Test func aJobNotAdmittedWaitsAsQueuedWithTheQueuesMessage() {
        let fresh = JobDecider<BatchJob>.decide(JobInput(job: Self.queued(), now: Self.t0))
        #expect(Self.creates(fresh) == 0)
        #expect(fresh.status?.phase == .queued)
        #expect(fresh.status?.message == "waiting for JobQueue etl to admit the job")
        let told = Self.queued { job in
            job.status.conditions.set(.admitted, .false, reason: .waiting, message: "position 2 of 3 in queue etl (priority 0): needs 1 jobs, 0 free", now: Self.t0, generation: 1)
        }
        let waiting = JobDecider<BatchJob>.decide(JobInput(job: told, now: Self.t0))
        #expect(waiting.status?.message == "position 2 of 3 in queue etl (priority 0): needs 1 jobs, 0 free")
    }

    @Test func anAdmittedJobCreatesWithinItsParallelism() {
        let decision = JobDecider<BatchJob>.decide(JobInput(job: Self.queued { Self.admit(&$0) }, now: Self.t0))
        #expect(Self.creates(decision) == 2)
        #expect(decision.status?.phase != .queued)
        #expect(decision.status?.admission?.queue == "etl", "the admission is kept")
    }

    @Test func anAdmissionSmallerThanTheRequestHoldsTheAttemptsBack() {
        // Two pods of 512Mi each need 1Gi; 512Mi was admitted (say, before a retry grew).
        let decision = JobDecider<BatchJob>.decide(JobInput(job: Self.queued { Self.admit(&$0, memory: "512Mi") }, now: Self.t0))
        #expect(Self.creates(decision) == 0)
        #expect(decision.status?.phase == .queued)
    }

    @Test(arguments: [
        (JobConditionReason.queueFull, JobPhase.failed), (.exceedsQueueLimits, .failed), (.duplicate, .skipped),
    ])
    func aTerminalVerdictEndsTheJob(_ reason: JobConditionReason, _ phase: JobPhase) {
        let job = Self.queued { job in
            job.status.conditions.set(.admitted, .false, reason: reason, message: "turned away", now: Self.t0, generation: 1)
        }
        let decision = JobDecider<BatchJob>.decide(JobInput(job: job, now: Self.t0))
        #expect(Self.creates(decision) == 0)
        #expect(decision.status?.phase == phase)
        #expect(decision.status?.message == "turned away")
        #expect(decision.status?.completionTime == Self.t0)
        if reason != .duplicate { #expect(decision.status?.conditions[.failed]?.reason == reason.rawValue) }
    }

    @Test func theRequestFollowsWhatIndexesLearned() {
        var job = Self.queued()
        #expect(job.queueRequest() == QueueRequest(pods: 2, resources: ["memory": try! Quantity("1Gi"), "cpu": Quantity(1)]))
        var state = IndexState()
        state.memory = try! Quantity("2Gi")
        state.indexes = "1"
        job.status.indexStates = [state]
        #expect(job.queueRequest().resources["memory"] == (try! Quantity("4Gi")))
    }

    // MARK: The verdict the operator hands the job (one writer of its status)

    static let request = QueueRequest(pods: 2, resources: ["memory": try! Quantity("1Gi"), "cpu": Quantity(1)])

    /// The admission's time is the queue's decision, however late the job's write lands.
    @Test func theAdmissionRecordsWhenTheQueueDecided() {
        let decided = Self.t0.addingTimeInterval(-3)
        let verdict = QueueVerdict(reason: .admitted, message: "admitted by JobQueue etl for 2 pods", admission: Self.request, decided: decided)
        let decision = JobDecider<BatchJob>.decide(JobInput(job: Self.queued(), now: Self.t0, queueVerdict: verdict))
        #expect(decision.status?.admission?.time == decided)
    }

    @Test func anAdmissionIsRecordedInTheWriteThatLaunchesTheJob() {
        let verdict = QueueVerdict(reason: .admitted, message: "admitted by JobQueue etl for 2 pods", admission: Self.request)
        let decision = JobDecider<BatchJob>.decide(JobInput(job: Self.queued(), now: Self.t0, queueVerdict: verdict))
        #expect(Self.creates(decision) == 2)
        #expect(decision.status?.admission == Self.request.record(queue: "etl", time: Self.t0))
        #expect(decision.status?.conditions[.admitted]?.status == .true)
        #expect(decision.statusUrgency == .now, "written before the pods are created")
        #expect(!decision.actions.contains { if case .event = $0 { true } else { false } }, "a first admission is told by the status")
    }

    @Test func anAdmissionForLessThanTheRequestAdmitsNothing() {
        let small = QueueRequest(pods: 1, resources: ["memory": try! Quantity("512Mi"), "cpu": Quantity(1)])
        let verdict = QueueVerdict(reason: .admitted, message: "admitted", admission: small)
        let decision = JobDecider<BatchJob>.decide(JobInput(job: Self.queued(), now: Self.t0, queueVerdict: verdict))
        #expect(Self.creates(decision) == 0)
        #expect(decision.status?.admission == nil)
    }

    @Test func aWaitingVerdictIsToldOnceInTheJobsOwnWrite() {
        let verdict = QueueVerdict(reason: .waiting, message: "position 2 of 3 in queue etl (priority 0): needs 1 jobs, 0 free")
        let decision = JobDecider<BatchJob>.decide(JobInput(job: Self.queued(), now: Self.t0, queueVerdict: verdict))
        #expect(Self.creates(decision) == 0)
        #expect(decision.status?.phase == .queued)
        #expect(decision.status?.message == verdict.message)
        #expect(decision.status?.conditions[.admitted]?.reason == "Waiting")
        #expect(decision.statusUrgency == .now)
        // Told: a later position is not written again.
        var told = Self.queued()
        told.status = decision.status!
        let later = QueueVerdict(reason: .waiting, message: "position 1 of 3 in queue etl (priority 0): needs 1 jobs, 0 free")
        let again = JobDecider<BatchJob>.decide(JobInput(job: told, now: Self.t0.addingTimeInterval(5), queueVerdict: later))
        #expect(again.status?.message == verdict.message)
        #expect(again.status?.conditions == told.status.conditions)
    }

    @Test func aStaleWaitingVerdictDoesNotSendAnAdmittedJobBack() {
        let verdict = QueueVerdict(reason: .waiting, message: "position 1 of 1 in queue etl (priority 0): needs 1 jobs, 0 free")
        let decision = JobDecider<BatchJob>.decide(JobInput(job: Self.queued { Self.admit(&$0) }, now: Self.t0, queueVerdict: verdict))
        #expect(Self.creates(decision) == 2)
        #expect(decision.status?.conditions[.admitted]?.status == .true)
    }

    @Test func aTurnAwayVerdictEndsTheJobInItsOwnWrite() {
        let verdict = QueueVerdict(reason: .queueFull, message: "rejected: JobQueue etl is full (maxQueued 1 jobs already wait)")
        let decision = JobDecider<BatchJob>.decide(JobInput(job: Self.queued(), now: Self.t0, queueVerdict: verdict))
        #expect(Self.creates(decision) == 0)
        #expect(decision.status?.phase == .failed)
        #expect(decision.status?.message == verdict.message)
        #expect(decision.status?.conditions[.failed]?.reason == "QueueFull")
    }
}
