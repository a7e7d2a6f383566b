import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import SlipwayAPI
import SlipwayCore

/// A kind's job cache seen by the queue controller, without the kind.
protocol QueueSource: Sendable {
    /// Calls `handler` with the queue (old and new) of every job added, changed or deleted.
    func onQueueChange(_ handler: @escaping @Sendable (String) async -> Void) async
    /// Keeps `index` up to date with every job of this kind that names a queue.
    func feed(_ index: QueueIndex, clock: any KubeClock) async
}

extension KindCaches: QueueSource {
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

    func feed(_ index: QueueIndex, clock: any KubeClock) async {
        let changed: @Sendable (Kind?, Kind?) -> Void = { old, new in
            guard let job = new ?? old else { return }
            let queue = new?.queueName
            index.update(
                JobReference(job), queue: queue, old: old?.queueName,
                entry: new.flatMap { new in queue.flatMap { Self.entry(new, queue: $0, now: clock.now()) } })
        }
        await jobs.addEventHandler(InformerEventHandler(
            onAdd: { changed(nil, $0) }, onUpdate: { old, new in changed(old, new) }, onDelete: { changed($0, nil) }))
    }

    /// What admission sees of `job` in `queue`: nil when it counts for nothing (a finished
    /// job without a dedupKey takes nothing and blocks nothing: left out, so a queue's
    /// decision costs what its live jobs cost, not its whole history).
    static func entry(_ job: Kind, queue: String, now: Date) -> QueueIndex.Entry? {
        if job.status.phase == .succeeded || job.status.phase == .failed || job.status.phase == .skipped, job.dedupKey == nil { return nil }
        guard let request = (job as? any QueuedJobKind)?.queueRequest() else { return nil }
        let reference = JobReference(job)
        let admitted = job.status.conditions[.admitted]
        let reason = admitted.flatMap { $0.reason }.flatMap(JobConditionReason.init(rawValue:))
        let state: QueuedJob.State
        if admitted?.status == .false, reason?.isQueueTerminal == true {
            state = .dropped
        } else if job.status.phase == .succeeded || job.status.phase == .failed || job.status.phase == .skipped {
            state = .finished(job.status.completionTime ?? now)
        } else {
            state = .active
        }
        let queued = QueuedJob(
            reference: reference, created: job.metadata.creationTimestamp ?? now, priority: job.queuePriority, request: request,
            admission: job.status.admission.flatMap { $0.queue == queue ? $0 : nil }, state: state, dedupKey: job.dedupKey,
            accepted: reason == .waiting, running: job.status.phase == .running)
        return QueueIndex.Entry(job: queued, key: Store<Kind>.key(for: job), admitted: admitted)
    }
}
