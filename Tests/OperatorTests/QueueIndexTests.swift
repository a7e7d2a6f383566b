import Foundation
import KubeAPI
import KubeRuntime
import SlipwayAPI
import SlipwayCore
import Synchronization
import Testing
@testable import SlipwayControllers

/// The operator's side of queue admission (docs/queues.md): the index of a queue's jobs
/// keeps the waiting ones in admission order as they change, and admissions checked under
/// the queue's lock never overcommit, however many reconciles of the queue's jobs run at
/// once with stale verdicts and however far the watch lags behind the writes.
@Suite("QueueIndex: admission order and concurrent admissions")
struct QueueIndexTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(_ i: Int, priority: Int = 0, admitted: Bool = false, state: QueuedJob.State = .active) -> QueuedJob {
        let request = QueueRequest(pods: 1, resources: ["cpu": Quantity(1)])
        return QueuedJob(
            reference: JobReference(kind: i % 3 == 0 ? "SparkJob" : "BatchJob", namespace: "data", name: "j\(i)"),
            created: t0.addingTimeInterval(TimeInterval(i % 7)), priority: priority, request: request,
            admission: admitted ? request.record(queue: "etl", time: t0) : nil, state: state)
    }

    static func entry(_ job: QueuedJob) -> QueueIndex.Entry {
        QueueIndex.Entry(job: job, key: ObjectKey(namespace: job.reference.namespace, name: job.reference.name), admitted: nil)
    }

    static func spec(jobs: Int) -> JobQueueSpec {
        var spec = JobQueueSpec()
        spec.limits = QueueLimits(jobs: jobs)
        return spec
    }

    @Test func waitingJobsStayInAdmissionOrderAsTheyChange() {
        let index = QueueIndex()
        var rng = Noise(seed: 7)
        var current: [Int: QueuedJob] = [:]
        for step in 0..<600 {
            let i = Int(rng.next() % 80)
            let roll = rng.next() % 10
            let reference = Self.job(i).reference
            if roll < 2 {
                index.update(reference, queue: nil, old: current[i] == nil ? nil : "etl", entry: nil)
                current[i] = nil
            } else {
                let job = Self.job(i, priority: Int(rng.next() % 4), admitted: roll == 9, state: roll == 8 ? .finished(Self.t0) : .active)
                index.update(reference, queue: "etl", old: current[i] == nil ? nil : "etl", entry: Self.entry(job))
                current[i] = job
            }
            let waiting = index.members(of: "etl").jobs.filter(\.isWaiting)
            let expected = current.values.filter(\.isWaiting).sorted(by: QueueAdmission.order)
            #expect(waiting.map(\.reference) == expected.map(\.reference), "step \(step)")
        }
    }

    /// A queue decided again before its job recorded the admission keeps the first
    /// decision's time for an alike admission; a different admission (a retry that asks for
    /// more) takes the new decision's.
    @Test func anAdmissionHandedAgainKeepsTheFirstDecisionsTime() {
        let index = QueueIndex()
        let reference = Self.job(1).reference
        let small = QueueRequest(pods: 1, resources: ["cpu": Quantity(1)])
        let large = QueueRequest(pods: 1, resources: ["cpu": Quantity(2)])
        func admit(_ request: QueueRequest, at seconds: Double) {
            let verdict = QueueVerdict(reason: .admitted, message: "admitted", admission: request, decided: Self.t0.addingTimeInterval(seconds))
            index.hand([reference: verdict], queue: "etl")
        }
        admit(small, at: 1)
        admit(small, at: 2)
        #expect(index.verdict(for: reference, queue: "etl")?.decided == Self.t0.addingTimeInterval(1))
        admit(large, at: 3)
        #expect(index.verdict(for: reference, queue: "etl")?.decided == Self.t0.addingTimeInterval(3))
        index.hand([reference: QueueVerdict(reason: .waiting, message: "position 1 of 1")], queue: "etl")
        admit(large, at: 4)
        #expect(index.verdict(for: reference, queue: "etl")?.decided == Self.t0.addingTimeInterval(4), "a wait in between starts afresh")
    }

    /// Every job of a queue of 3 is handed an admission at once (stale proposals, as when
    /// the queue was decided several times before its jobs' reconciles ran), and their
    /// reconciles run concurrently, each as `JobReconciler` does it: reserve the admission
    /// (checked and counted in one step), write (a suspension point; some writes are
    /// refused and take their reservation back). The watch delivers the writes late, and
    /// finishes jobs at random. At no moment are more than 3 admitted and unfinished; every
    /// job is admitted in the end.
    @Test(arguments: 0..<8)
    func concurrentReconcilesOfAQueueNeverOvercommit(seed: UInt64) async {
        let index = QueueIndex()
        let limit = 3, count = 40
        index.setSpec(Self.spec(jobs: limit), of: "etl")
        for i in 0..<count { index.update(Self.job(i).reference, queue: "etl", old: nil, entry: Self.entry(Self.job(i))) }
        let world = World()
        // The watch: delivers written admissions late, and finishes admitted jobs.
        let watch = Task { [world] in
            var rng = Noise(seed: seed)
            while !world.done.load(ordering: .relaxed) {
                try? await Task.sleep(for: .microseconds(Int(rng.next() % 300)))
                let delivered: QueuedJob? = world.ledger.withLock { l in l.written.isEmpty ? nil : l.written.removeFirst() }
                if let job = delivered {
                    index.update(job.reference, queue: "etl", old: "etl", entry: Self.entry(job))
                    if rng.next() % 2 == 0 { try? await Task.sleep(for: .microseconds(Int(rng.next() % 500))) }
                    var finished = job
                    finished.state = .finished(Self.t0)
                    world.ledger.withLock { l in
                        l.finished.insert(job.reference)
                        l.admitted.remove(job.reference)
                    }
                    index.update(job.reference, queue: "etl", old: "etl", entry: Self.entry(finished))
                }
            }
        }
        let request = QueueRequest(pods: 1, resources: ["cpu": Quantity(1)])
        let verdict = QueueVerdict(reason: .admitted, message: "admitted", admission: request)
        while world.ledger.withLock({ $0.finished.count }) < count {
            // Every job not admitted yet is handed an admission, and reconciled concurrently.
            let open = (0..<count).map { Self.job($0).reference }.filter { r in world.ledger.withLock { !$0.finished.contains(r) && !$0.admitted.contains(r) } }
            index.hand(Dictionary(uniqueKeysWithValues: open.map { ($0, verdict) }), queue: "etl")
            await withTaskGroup(of: Void.self) { group in
                for reference in open {
                    group.addTask {
                        guard let handed = index.verdict(for: reference, queue: "etl"), let granted = handed.admission,
                              let before = index.job(reference, queue: "etl") else { return }
                        var written = before
                        written.admission = granted.record(queue: "etl", time: Self.t0)
                        guard index.reserve(written, replacing: before, queue: "etl", now: Self.t0) else { return }
                        await Task.yield()  // the status write
                        // Every fifth job's first write is refused (409): its reservation is taken back.
                        let refused = Int(reference.name.dropFirst())! % 5 == 0 && world.refused.withLock { $0.insert(reference).inserted }
                        if refused {
                            index.retract(written, queue: "etl")
                            return
                        }
                        world.ledger.withLock { l in
                            l.admitted.insert(reference)
                            l.most = max(l.most, l.admitted.count)
                            l.written.append(written)
                        }
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(1))
        }
        world.done.store(true, ordering: .relaxed)
        await watch.value
        let most = world.ledger.withLock { $0.most }
        #expect(most <= limit, "at most \(limit) admitted and unfinished at once: \(most)")
        #expect(most == limit, "the queue was used to its limit: \(most)")
    }
}

/// What really happened, as opposed to what the index shows: the admissions written and
/// not finished, the most at once, the writes the watch has not delivered yet.
final class World: Sendable {
    let ledger = Mutex<(admitted: Set<JobReference>, finished: Set<JobReference>, most: Int, written: [QueuedJob])>(([], [], 0, []))
    let done = Atomic<Bool>(false)
    let refused = Mutex<Set<JobReference>>([])
}

/// Reproducible noise: the same seed gives the same sequence (Knuth's multiplicative hash of a counter).
struct Noise {
    var counter: UInt64
    init(seed: UInt64) { counter = seed &* 1_000_003 }
    mutating func next() -> UInt64 {
        counter &+= 1
        return (counter &* 2_654_435_761) >> 7
    }
}
