import Foundation
import KubeAPI
import SlipwayAPI
import Testing
@testable import SlipwayCore

/// Queue admission as a pure function: ordering, limits overall and per kind, StrictFIFO and
/// BestEffortFIFO, re-admission of a retry that asks for more, overflow, duplicates,
/// namespaces and a missing queue.
@Suite("QueueAdmission")
struct QueueAdmissionTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(
        _ name: String, kind: String = "BatchJob", namespace: String = "data", at seconds: Int = 0, priority: Int = 0,
        pods: Int = 1, cpu: String = "1", memory: String = "1Gi", admitted: (pods: Int, cpu: String, memory: String)? = nil,
        state: QueuedJob.State = .active, dedupKey: String? = nil, allowed: Bool = true, accepted: Bool = false
    ) -> QueuedJob {
        let request = QueueRequest(pods: pods, resources: ["cpu": Quantity(stringLiteral: cpu), "memory": Quantity(stringLiteral: memory)])
        let admission = admitted.map {
            QueueRequest(pods: $0.pods, resources: ["cpu": Quantity(stringLiteral: $0.cpu), "memory": Quantity(stringLiteral: $0.memory)])
                .record(queue: "etl", time: t0)
        }
        return QueuedJob(
            reference: JobReference(kind: kind, namespace: namespace, name: name), created: t0.addingTimeInterval(TimeInterval(seconds)),
            priority: priority, request: request, admission: admission, state: state, dedupKey: dedupKey, namespaceAllowed: allowed,
            accepted: accepted)
    }

    static func queue(
        jobs: Int? = nil, pods: Int? = nil, cpu: String? = nil, kinds: [String: QueueLimits] = [:], strategy: QueueingStrategy = .bestEffortFIFO,
        maxQueued: Int? = nil, window: Int = 0
    ) -> JobQueueSpec {
        var spec = JobQueueSpec()
        spec.limits = QueueLimits(jobs: jobs, pods: pods, resources: cpu.map { ["cpu": Quantity(stringLiteral: $0)] } ?? [:])
        spec.kindLimits = kinds
        spec.strategy = strategy
        spec.maxQueued = maxQueued
        spec.dedupWindowSeconds = window
        return spec
    }

    static func decide(_ queue: JobQueueSpec?, _ jobs: [QueuedJob], now: Date = t0.addingTimeInterval(100)) -> QueueAdmission {
        QueueAdmission.decide(name: "etl", queue: queue, jobs: jobs, now: now)
    }

    static func admitted(_ decision: QueueAdmission) -> [String] {
        decision.verdicts.filter { $0.value.reason == .admitted }.map(\.key.name).sorted()
    }

    static func reason(_ decision: QueueAdmission, _ name: String) -> JobConditionReason? {
        decision.verdicts.first { $0.key.name == name }?.value.reason
    }

    static func message(_ decision: QueueAdmission, _ name: String) -> String? {
        decision.verdicts.first { $0.key.name == name }?.value.message
    }

    @Test func admitsByPriorityThenAgeWithinTheJobLimit() {
        let jobs = [Self.job("a", at: 0), Self.job("b", at: 1, priority: 10), Self.job("c", at: 2, priority: 10), Self.job("d", at: 3)]
        let decision = Self.decide(Self.queue(jobs: 2), jobs)
        #expect(Self.admitted(decision) == ["b", "c"])
        #expect(Self.message(decision, "a") == "position 1 of 2 in queue etl (priority 0): needs 1 jobs, 0 free")
        #expect(Self.message(decision, "d") == "position 2 of 2 in queue etl (priority 0): needs 1 jobs, 0 free")
        #expect(decision.status.pending == 2)
        #expect(decision.status.admitted == 2)
        #expect(decision.status.usage["jobs"] == "2")
        #expect(decision.status.oldestWaiting == "BatchJob data/a")
    }

    /// An admission carries the decision's time; a verdict to wait or a turn-away carries none.
    @Test func admissionsCarryTheTimeOfTheDecision() {
        let now = Self.t0.addingTimeInterval(42)
        let decision = Self.decide(Self.queue(jobs: 1), [Self.job("a", priority: 1), Self.job("b")], now: now)
        #expect(decision.verdicts.first { $0.key.name == "a" }?.value.decided == now)
        #expect(Self.reason(decision, "b") == .waiting)
        #expect(decision.verdicts.first { $0.key.name == "b" }?.value.decided == nil)
    }

    @Test func usageIsDerivedFromAdmittedJobsAndFinishedOnesReleaseIt() {
        let jobs = [
            Self.job("running", pods: 2, cpu: "4", admitted: (2, "4", "1Gi")),
            Self.job("done", pods: 2, cpu: "4", admitted: (2, "4", "1Gi"), state: .finished(Self.t0)),
            Self.job("next", at: 5, cpu: "4"),
            Self.job("small", at: 6, cpu: "2"),
        ]
        let decision = Self.decide(Self.queue(cpu: "6"), jobs)
        #expect(Self.admitted(decision) == ["small"])
        #expect(Self.message(decision, "next") == "position 1 of 1 in queue etl (priority 0): needs 4 cpu, 2 free")
        #expect(decision.status.usage["cpu"] == "6")
    }

    @Test func strictFIFOBlocksBehindTheHead() {
        let jobs = [Self.job("big", at: 0, cpu: "8"), Self.job("small", at: 1, cpu: "1")]
        let strict = Self.decide(Self.queue(cpu: "10", strategy: .strictFIFO), [Self.job("holder", cpu: "4", admitted: (1, "4", "1Gi"))] + jobs)
        #expect(Self.admitted(strict) == [])
        #expect(Self.message(strict, "small") == "position 2 of 2 in queue etl (priority 0): behind BatchJob big (StrictFIFO)")
        let bestEffort = Self.decide(Self.queue(cpu: "10"), [Self.job("holder", cpu: "4", admitted: (1, "4", "1Gi"))] + jobs)
        #expect(Self.admitted(bestEffort) == ["small"])
    }

    @Test func perKindLimitsKeepParentsFromTakingTheChildrensRoom() {
        let parents = (0..<3).map { Self.job("parent-\($0)", at: $0) }
        let children = (0..<2).map { Self.job("child-\($0)", kind: "SparkJob", at: 10 + $0) }
        let shared = Self.decide(Self.queue(jobs: 3), parents + children)
        #expect(Self.admitted(shared) == ["parent-0", "parent-1", "parent-2"])
        let isolated = Self.decide(Self.queue(jobs: 3, kinds: ["BatchJob": QueueLimits(jobs: 1)]), parents + children)
        #expect(Self.admitted(isolated) == ["child-0", "child-1", "parent-0"])
        #expect(Self.message(isolated, "parent-1") == "position 1 of 2 in queue etl (priority 0): needs 1 jobs, 0 free for BatchJobs")
        #expect(isolated.status.kinds.map(\.kind) == ["BatchJob", "SparkJob"])
    }

    @Test func aRetryThatAsksForMoreIsReadmittedForItsNewSizeOnlyWhenItFits() {
        let retry = Self.job("oom", memory: "4Gi", admitted: (1, "1", "2Gi"))
        let other = Self.job("other", memory: "3Gi", admitted: (1, "1", "3Gi"))
        var spec = Self.queue()
        spec.limits.resources = ["memory": "6Gi"]
        let waits = Self.decide(spec, [retry, other])
        #expect(Self.reason(waits, "oom") == .waiting)
        #expect(Self.message(waits, "oom") == "position 1 of 1 in queue etl (priority 0): needs 4Gi memory, 3Gi free")
        #expect(waits.status.usage["memory"] == "5Gi")
        var finished = other
        finished.state = .finished(Self.t0)
        let fits = Self.decide(spec, [retry, finished])
        #expect(fits.verdicts[retry.reference]?.admission?.resources["memory"] == "4Gi")
    }

    @Test func aRequestAboveTheLimitsOnItsOwnNeverFits() {
        var spec = Self.queue(kinds: ["SparkJob": QueueLimits(pods: 3)])
        spec.limits.resources = ["memory": "8Gi"]
        let decision = Self.decide(spec, [
            Self.job("huge", memory: "16Gi"), Self.job("retry", memory: "9Gi", admitted: (1, "1", "4Gi")),
            Self.job("wide", kind: "SparkJob", pods: 5),
        ])
        #expect(Self.message(decision, "huge") == "rejected: it needs 16Gi memory, more than JobQueue etl allows (8Gi)")
        #expect(Self.message(decision, "retry") == "the retry cannot run: it needs 9Gi memory, more than JobQueue etl allows (8Gi)")
        #expect(Self.message(decision, "wide") == "rejected: it needs 5 pods, more than JobQueue etl allows for a SparkJob (3)")
    }

    @Test func overflowRejectsTheNewestJobsNotYetQueued() {
        let jobs = [
            Self.job("running", admitted: (1, "1", "1Gi")),
            Self.job("w1", at: 1, accepted: true), Self.job("w2", at: 2, accepted: true),
            Self.job("new3", at: 3), Self.job("new4", at: 4, priority: 100),
        ]
        let decision = Self.decide(Self.queue(jobs: 1, maxQueued: 3), jobs)
        #expect(Self.reason(decision, "new4") == .queueFull)
        #expect(Self.message(decision, "new4") == "rejected: JobQueue etl is full (maxQueued 3 jobs already wait)")
        #expect(Self.reason(decision, "new3") == .waiting)
        #expect(Self.reason(decision, "w1") == .waiting)
        #expect(decision.status.pending == 3)
    }

    @Test func duplicatesAreSkippedWithinTheWindowAndRunAfterIt() {
        let now = Self.t0.addingTimeInterval(100)
        let live = Self.decide(Self.queue(jobs: 5, window: 60), [
            Self.job("first", dedupKey: "daily", accepted: true), Self.job("again", at: 5, dedupKey: "daily"),
        ])
        #expect(Self.reason(live, "again") == .duplicate)
        #expect(Self.message(live, "again") == "skipped: BatchJob first in namespace data has the same dedupKey daily in queue etl")
        let recent = Self.decide(Self.queue(jobs: 5, window: 60), [
            Self.job("first", admitted: (1, "1", "1Gi"), state: .finished(now.addingTimeInterval(-30)), dedupKey: "daily"),
            Self.job("again", at: 90, dedupKey: "daily"),
        ], now: now)
        #expect(Self.reason(recent, "again") == .duplicate)
        let later = Self.decide(Self.queue(jobs: 5, window: 60), [
            Self.job("first", admitted: (1, "1", "1Gi"), state: .finished(now.addingTimeInterval(-61)), dedupKey: "daily"),
            Self.job("again", at: 90, dedupKey: "daily"),
        ], now: now)
        #expect(Self.reason(later, "again") == .admitted)
        // Two new jobs with one key: the older runs, whatever the priorities.
        let pair = Self.decide(Self.queue(jobs: 5), [Self.job("old", at: 1, dedupKey: "k"), Self.job("young", at: 2, priority: 9, dedupKey: "k")])
        #expect(Self.admitted(pair) == ["old"])
        #expect(Self.reason(pair, "young") == .duplicate)
    }

    @Test func aMissingQueueOrANamespaceNotSelectedWaitsAndSaysSo() {
        let missing = Self.decide(nil, [Self.job("a")])
        #expect(Self.reason(missing, "a") == .queueNotFound)
        #expect(Self.message(missing, "a") == "waiting: JobQueue etl does not exist")
        let other = Self.decide(Self.queue(jobs: 2), [Self.job("a", namespace: "web", allowed: false)])
        #expect(Self.message(other, "a") == "waiting: JobQueue etl does not admit jobs of namespace web")
    }

    /// Random queues and jobs, decided again and again as jobs finish: admitted usage never
    /// exceeds any limit, overall or per kind, and every job ends up admitted or turned away.
    @Test(arguments: 0..<40)
    func neverOverLimits(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let spec = Self.queue(
            jobs: Int.random(in: 1...4, using: &rng), pods: Int.random(in: 3...8, using: &rng), cpu: "\(Int.random(in: 4...12, using: &rng))",
            kinds: ["SparkJob": QueueLimits(jobs: Int.random(in: 1...2, using: &rng))],
            strategy: Bool.random(using: &rng) ? .strictFIFO : .bestEffortFIFO)
        var jobs = (0..<Int.random(in: 5...25, using: &rng)).map { i in
            Self.job(
                "j\(i)", kind: Bool.random(using: &rng) ? "BatchJob" : "SparkJob", at: Int.random(in: 0...50, using: &rng),
                priority: Int.random(in: 0...3, using: &rng), pods: Int.random(in: 1...4, using: &rng), cpu: "\(Int.random(in: 1...6, using: &rng))")
        }
        for round in 0..<200 {
            let decision = Self.decide(spec, jobs, now: Self.t0.addingTimeInterval(TimeInterval(100 + round)))
            for i in jobs.indices {
                guard let verdict = decision.verdicts[jobs[i].reference] else { continue }
                if let admission = verdict.admission { jobs[i].admission = admission.record(queue: "etl", time: Self.t0) }
                if verdict.reason.isQueueTerminal { jobs[i].state = .dropped }
            }
            var total = QueueAmounts()
            var spark = QueueAmounts()
            for job in jobs where job.holdsAdmission {
                total = total + QueueRequest(job.admission!).amounts
                if job.reference.kind == "SparkJob" { spark = spark + QueueRequest(job.admission!).amounts }
            }
            #expect(total.fits(within: QueueAmounts(spec.limits)), "round \(round): \(total.summary)")
            #expect(spark.fits(within: QueueAmounts(spec.kindLimits["SparkJob"]!)), "round \(round): \(spark.summary)")
            // One admitted job finishes, now and then one grows (an adaptive retry).
            if let i = jobs.indices.filter({ jobs[$0].holdsAdmission }).randomElement(using: &rng) {
                if Bool.random(using: &rng) {
                    jobs[i].state = .finished(Self.t0)
                } else {
                    jobs[i].request.resources["cpu"] = jobs[i].request.resources["cpu"]! + Quantity(1)
                }
            }
        }
    }
}
