import Synchronization
import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import SlipwayAPI
import SlipwayCore

/// One job of a queue as the queue controller holds it: what admission reads, and how to
/// write a verdict onto it.
struct QueueMember: Sendable {
    var job: QueuedJob
    var uid: String?
    /// The job's `Admitted` condition as its status (or this process's last write) says.
    var admitted: Condition?
    /// Writes the verdict into the job's status (optimistic concurrency); returns the
    /// resourceVersions before and after, nil when refused (409, gone).
    var write: @Sendable (QueueVerdict, Date) async throws -> (before: String, after: String, status: JSONObject)?
}

/// A kind's job cache seen by the queue controller, without the kind.
protocol QueueSource: Sendable {
    /// Calls `handler` with the queue (old and new) of every job added, changed or deleted.
    func onQueueChange(_ handler: @escaping @Sendable (String) async -> Void) async
    /// The jobs of this kind naming `queue`, with `assumed` statuses overriding stale cache entries.
    func members(
        of queue: String, client: KubernetesClient, recorder: EventRecorder, assumed: QueueAssumptions,
        namespaceAllowed: (String) -> Bool, now: Date, recordTransitions: Bool
    ) -> [QueueMember]
}

extension KindCaches: QueueSource {
    /// Jobs by `spec.queue`.
    static var byQueue: StoreIndex<Kind> { StoreIndex(name: "queue") { job in job.queueName.map { [$0] } ?? [] } }

    func onQueueChange(_ handler: @escaping @Sendable (String) async -> Void) async {
        let changed: @Sendable (Kind) async -> Void = { job in if let queue = job.queueName { await handler(queue) } }
        await jobs.addEventHandler(InformerEventHandler(
            onAdd: changed,
            onUpdate: { old, new in
                await changed(new)
                if old.queueName != new.queueName { await changed(old) }
            },
            onDelete: changed))
    }

    func members(
        of queue: String, client: KubernetesClient, recorder: EventRecorder, assumed: QueueAssumptions,
        namespaceAllowed: (String) -> Bool, now: Date, recordTransitions: Bool
    ) -> [QueueMember] {
        jobs.store.byIndex(Self.byQueue, value: queue).compactMap { cached in
            var job = cached
            if let status = assumed.status(of: cached) { job.status = Kind.Status(object: status) }
            // A finished job without a dedupKey takes nothing and blocks nothing: left out, so
            // a queue's reconcile costs what its live jobs cost, not its whole history.
            if job.status.phase == .succeeded || job.status.phase == .failed || job.status.phase == .skipped, job.dedupKey == nil { return nil }
            guard let request = (job as? any QueuedJobKind)?.queueRequest() else { return nil }
            let reference = JobReference(job)
            let admitted = job.status.conditions[.admitted]
            let reason = admitted.flatMap { $0.reason }.flatMap(JobConditionReason.init(rawValue:))
            let state: QueuedJob.State
            if admitted?.status == .false, reason?.isQueueTerminal == true {
                state = .dropped
            } else if job.status.phase == .succeeded || job.status.phase == .failed {
                state = .finished(job.status.completionTime ?? now)
            } else {
                state = .active
            }
            let candidate = QueuedJob(
                reference: reference, created: job.metadata.creationTimestamp ?? now, priority: job.queuePriority, request: request,
                admission: job.status.admission.flatMap { $0.queue == queue ? $0 : nil }, state: state, dedupKey: job.dedupKey,
                namespaceAllowed: namespaceAllowed(reference.namespace), accepted: reason == .waiting,
                running: job.status.phase == .running)
            let snapshot = job
            return QueueMember(job: candidate, uid: job.metadata.uid, admitted: admitted) { verdict, time in
                var updated = snapshot
                let condition: ConditionStatus = verdict.reason == .admitted ? .true : .false
                updated.status.conditions.set(
                    .admitted, condition, reason: verdict.reason, message: verdict.message, now: time, generation: snapshot.metadata.generation)
                if let admission = verdict.admission { updated.status.admission = admission.record(queue: queue, time: time) }
                if verdict.reason.isQueueTerminal {
                    updated.status.message = verdict.message
                } else if verdict.reason != .admitted, [nil, .pending, .queued].contains(snapshot.status.phase) {
                    // What the job's decider would write next (phase Queued, the verdict as its
                    // message), so that this write is the only one.
                    updated.status.phase = .queued
                    updated.status.message = verdict.message
                    updated.status.observedGeneration = snapshot.metadata.generation
                }
                // With an event sink, a phase this write changes goes into status.transitions too.
                if recordTransitions { updated.status = JobOutbox.record(from: snapshot.status, to: updated.status, recorded: [], at: time) }
                let written: Kind
                do {
                    written = try await client.updateStatus(updated)
                } catch let error as KubeError where error.isConflict || error.isNotFound {
                    return nil
                }
                if verdict.reason == .admitted {
                    recorder.normal(snapshot, reason: JobEventReason.admitted.rawValue, message: verdict.message)
                } else if verdict.reason.isQueueTerminal {
                    recorder.warning(snapshot, reason: verdict.reason.rawValue, message: verdict.message)
                }
                return (snapshot.metadata.resourceVersion ?? "", written.metadata.resourceVersion ?? "", written.status.object)
            }
        }
    }
}

/// The statuses this process wrote onto jobs that its caches may not show yet: a queue
/// reconcile that ran on the older cached version would count an admission as free. An
/// entry holds while the cache still shows the version the write replaced (the write's
/// precondition makes the written version the very next one); any other version ends it.
final class QueueAssumptions: Sendable {
    private struct Entry { var before: String; var status: JSONObject }
    private let entries = Mutex<[String: Entry]>([:])

    func assume(uid: String, before: String, status: JSONObject) {
        entries.withLock { $0[uid] = Entry(before: before, status: status) }
    }

    /// The assumed status of `job`, while its cached version is the one the write replaced.
    func status<Job: KubeObject>(of job: Job) -> JSONObject? {
        guard let uid = job.metadata.uid else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[uid] else { return nil }
            guard entry.before == job.metadata.resourceVersion else {
                entries.removeValue(forKey: uid)
                return nil
            }
            return entry.status
        }
    }
}
