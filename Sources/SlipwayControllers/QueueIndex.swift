import Foundation
import KubeAPI
import KubeRuntime
import Synchronization
import SlipwayAPI
import SlipwayCore

/// What the operator holds of its JobQueues between reconciles (docs/queues.md), shared by
/// the queue controller and every kind's job reconciler:
/// - the index: each queue's jobs as admission sees them (``QueuedJob``), kept by the job
///   informers' handlers, with the waiting ones in admission order, kept incrementally — a
///   queue's decision reads them as they are instead of building and sorting every job;
/// - the admissions this process reserved, from before their write until the index shows
///   them (a lagging watch never makes an admission look free);
/// - the verdicts the queue's last decision handed to its jobs, which each job's own
///   reconcile records (one writer of a job's status);
/// - the reservation of an admission: checked against the admissions recorded on the
///   queue's jobs and those this process is writing, and counted, in one step.
final class QueueIndex: Sendable {
    /// One job of a queue.
    struct Entry: Sendable {
        var job: QueuedJob
        var key: ObjectKey
        /// Its `Admitted` condition as its status says: whether it was told a verdict already.
        var admitted: Condition?
    }

    /// The order of waiting jobs (``QueueAdmission/order(_:_:)``) as a sortable key.
    struct Place: Comparable, Sendable {
        var priority: Int
        var created: Date
        var reference: JobReference

        init(_ job: QueuedJob) {
            priority = job.priority
            created = job.created
            reference = job.reference
        }

        static func < (a: Place, b: Place) -> Bool {
            if a.priority != b.priority { return a.priority > b.priority }
            if a.created != b.created { return a.created < b.created }
            return a.reference < b.reference
        }
    }

    struct Members: Sendable {
        var entries: [JobReference: Entry] = [:]
        /// The waiting jobs (``QueuedJob/isWaiting``), in admission order.
        var waiting: [Place] = []
        /// The jobs that hold an admission.
        var holders: Set<JobReference> = []
        /// Admissions this process wrote that `entries` do not show yet, as the job then was.
        var assumed: [JobReference: QueuedJob] = [:]
        /// The verdicts of the queue's last decision that its jobs have not recorded yet.
        var verdicts: [JobReference: QueueVerdict] = [:]

        /// The first index in `waiting` not before `place`.
        func slot(_ place: Place) -> Int {
            var low = 0, high = waiting.count
            while low < high {
                let mid = (low + high) / 2
                if waiting[mid] < place { low = mid + 1 } else { high = mid }
            }
            return low
        }

        mutating func remove(_ reference: JobReference) {
            guard let old = entries.removeValue(forKey: reference) else { return }
            holders.remove(reference)
            if old.job.isWaiting {
                let place = Place(old.job)
                let i = slot(place)
                if i < waiting.count, waiting[i] == place { waiting.remove(at: i) }
            }
        }

        mutating func insert(_ entry: Entry) {
            let reference = entry.job.reference
            entries[reference] = entry
            if entry.job.holdsAdmission { holders.insert(reference) }
            if entry.job.isWaiting {
                let place = Place(entry.job)
                waiting.insert(place, at: slot(place))
            }
            // The index shows the assumed admission now, or the job has moved on (finished).
            if let assumed = assumed[reference], entry.job.admission == assumed.admission || entry.job.state != .active {
                self.assumed.removeValue(forKey: reference)
            }
        }

        /// A job as admission should see it: with the admission this process wrote, while the
        /// index does not show it.
        func current(_ reference: JobReference) -> QueuedJob? {
            assumed[reference] ?? entries[reference]?.job
        }

        /// Every job, the waiting ones first in admission order, with assumed admissions.
        var jobs: [QueuedJob] {
            var out: [QueuedJob] = []
            out.reserveCapacity(entries.count + assumed.count)
            for place in waiting where assumed[place.reference] == nil {
                if let job = entries[place.reference]?.job { out.append(job) }
            }
            for (reference, entry) in entries where !entry.job.isWaiting && assumed[reference] == nil { out.append(entry.job) }
            out += assumed.values
            return out
        }

        /// The jobs holding an admission, with assumed admissions.
        var holding: [QueuedJob] {
            Array(Set(holders).union(assumed.keys)).compactMap(current).filter(\.holdsAdmission)
        }
    }

    private let queues = Mutex<[String: Members]>([:])
    private let specs = Mutex<[String: JobQueueSpec]>([:])
    private let enqueuers = Mutex<[String: @Sendable (ObjectKey) async -> Void]>([:])

    // MARK: The index (fed by the job informers' handlers)

    /// A job changed: `job` is what admission sees of it now in `queue` (nil: it left the
    /// queue, was deleted, or finished without a dedupKey and counts for nothing); `old` the
    /// queue it named before, if another.
    func update(_ reference: JobReference, queue: String?, old: String?, entry: Entry?) {
        queues.withLock { queues in
            if let old, old != queue {
                queues[old]?.remove(reference)
                queues[old]?.assumed.removeValue(forKey: reference)
                queues[old]?.verdicts.removeValue(forKey: reference)
            }
            guard let queue else { return }
            queues[queue, default: Members()].remove(reference)
            if let entry {
                queues[queue, default: Members()].insert(entry)
            } else {
                queues[queue]?.assumed.removeValue(forKey: reference)
                queues[queue]?.verdicts.removeValue(forKey: reference)
            }
        }
    }

    /// The jobs of `queue`, the waiting ones first in admission order, with the admissions
    /// this process wrote that the index does not show yet; and what each was told.
    func members(of queue: String) -> (jobs: [QueuedJob], told: [JobReference: Condition]) {
        queues.withLock { queues in
            guard let members = queues[queue] else { return ([], [:]) }
            var told: [JobReference: Condition] = [:]
            for (reference, entry) in members.entries { if let admitted = entry.admitted { told[reference] = admitted } }
            return (members.jobs, told)
        }
    }

    // MARK: Verdicts (from the queue's decision to each job's reconcile)

    /// Replaces the verdicts handed to the jobs of `queue`. An admission handed again alike
    /// (the queue decided again before the job recorded it) keeps the first decision's time.
    func hand(_ verdicts: [JobReference: QueueVerdict], queue: String) {
        queues.withLock { queues in
            var verdicts = verdicts
            if let before = queues[queue]?.verdicts {
                for (reference, verdict) in verdicts {
                    if let earlier = before[reference], verdict.admitsAlike(earlier) { verdicts[reference]?.decided = earlier.decided }
                }
            }
            queues[queue, default: Members()].verdicts = verdicts
        }
    }

    /// The verdict handed to `reference` by its queue's last decision, if it still waits for one.
    func verdict(for reference: JobReference, queue: String) -> QueueVerdict? {
        queues.withLock { $0[queue]?.verdicts[reference] }
    }

    // MARK: Admission (checked and reserved at once)

    /// Reserves the admission `written` records (`before`: the job as its cached status
    /// was) when it fits now — against the admissions the index shows and those this
    /// process reserved since (``QueueAdmission/admits(_:for:name:queue:holders:now:)``) —
    /// and counts it from now until the index shows it. Check and reservation are one
    /// step, so two jobs of one queue never both take its last room. Called before the
    /// status write that records the admission; a refused write takes it back
    /// (``retract(_:queue:)``), a write that may have landed keeps it.
    func reserve(_ written: QueuedJob, replacing before: QueuedJob, queue: String, now: Date) -> Bool {
        guard let record = written.admission, let spec = specs.withLock({ $0[queue] }) else { return false }
        return queues.withLock { queues in
            // Read in place (a copy of the queue's members alive across the write below would
            // copy every entry).
            let candidate = queues[queue]?.current(written.reference) ?? before
            let holders = queues[queue]?.holding ?? []
            guard QueueAdmission.admits(candidate, for: QueueRequest(record), name: queue, queue: spec, holders: holders, now: now) else {
                return false
            }
            queues[queue, default: Members()].assumed[written.reference] = written
            queues[queue]?.verdicts.removeValue(forKey: written.reference)
            return true
        }
    }

    /// The write of the admission `job` reserved was refused (409, gone): it does not count.
    func retract(_ job: QueuedJob, queue: String) {
        queues.withLock { queues in
            if queues[queue]?.assumed[job.reference] == job { queues[queue]?.assumed.removeValue(forKey: job.reference) }
        }
    }

    /// What the index holds of `reference` in `queue` (with an assumed admission).
    func job(_ reference: JobReference, queue: String) -> QueuedJob? {
        queues.withLock { $0[queue]?.current(reference) }
    }

    // MARK: Queues and controllers

    /// The spec of `queue` (nil: it does not exist), as the queue informer has it.
    func setSpec(_ spec: JobQueueSpec?, of queue: String) {
        specs.withLock { $0[queue] = spec }
    }

    /// How to reconcile a job of `kind` (its controller's work queue).
    func register(kind: String, enqueue: @escaping @Sendable (ObjectKey) async -> Void) {
        enqueuers.withLock { $0[kind] = enqueue }
    }

    /// Reconciles the job `reference` of `queue` (its verdict waits to be recorded).
    func enqueue(_ reference: JobReference, queue: String) async {
        guard let key = queues.withLock({ $0[queue]?.entries[reference]?.key }),
              let enqueue = enqueuers.withLock({ $0[reference.kind] }) else { return }
        await enqueue(key)
    }
}
