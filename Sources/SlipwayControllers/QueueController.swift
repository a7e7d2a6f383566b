import Foundation
import Synchronization
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// Admits the jobs of each JobQueue (docs/queues.md): a reconcile takes one queue name,
/// gathers every job of every kind that names it, calls the pure
/// ``QueueAdmission/decide(name:queue:jobs:now:)`` and writes each verdict onto its job
/// (the `Admitted` condition, `status.admission`), then the queue's status. One key per
/// queue, so one queue is never decided twice at once; the admitted set lives on the jobs,
/// so a restart (or a standby taking over) derives the same usage from its fresh caches.
final class QueueController: RunnableController {
    let client: KubernetesClient
    let caches: OperatorCaches
    let configuration: OperatorConfiguration
    let clock: any KubeClock
    let logger: Logger
    let queue: WorkQueue<ObjectKey>
    let queues: Informer<JobQueue>
    let namespaces: Informer<Namespace>
    let assumptions = QueueAssumptions()
    /// Whether every cache the reconciles read has listed once (readiness).
    let synced = Mutex(false)

    init(client: KubernetesClient, caches: OperatorCaches, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger) {
        self.client = client
        self.caches = caches
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        queue = WorkQueue(name: JobQueue.resource.plural, clock: clock, metrics: configuration.metrics.workQueue)
        queues = Informer(listerWatcher: ClientListerWatcher<JobQueue>(client: client), indexes: [], clock: clock, transform: OperatorCaches.trim)
        namespaces = Informer(listerWatcher: ClientListerWatcher<Namespace>(client: client), indexes: [], clock: clock, transform: OperatorCaches.trim)
    }

    /// A queue changed, a job naming a queue changed, a namespace's labels changed: decide
    /// the queues concerned again.
    func connect() async {
        let queue = self.queue
        let enqueue: @Sendable (String) async -> Void = { name in await queue.add(ObjectKey(namespace: nil, name: name)) }
        let byQueue: @Sendable (JobQueue) async -> Void = { await enqueue($0.metadata.name ?? "") }
        await queues.addEventHandler(InformerEventHandler(onAdd: byQueue, onUpdate: { old, new in
            if old.spec != new.spec || old.metadata.generation != new.metadata.generation { await byQueue(new) }
        }, onDelete: byQueue))
        let queues = self.queues
        await namespaces.addEventHandler(InformerEventHandler(onAdd: { _ in }, onUpdate: { old, new in
            guard old.metadata.labels != new.metadata.labels else { return }
            for q in queues.store.list() where q.spec.namespaceSelector != nil { await byQueue(q) }
        }))
        for scope in caches.scopes.values {
            for kind in scope.kinds.values {
                await (kind as? any QueueSource)?.onQueueChange(enqueue)
            }
        }
    }

    func run() async {
        let name = "jobqueue"
        configuration.metrics.registerController(name, queue: queue.name)
        configuration.health.trackCaches(name) { [self] in synced.withLock { $0 } }
        defer { configuration.health.trackCaches(name, synced: nil) }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.queues.run() }
            group.addTask { await self.namespaces.run() }
            group.addTask {
                guard await self.caches.waitForSync(), await self.queues.waitForSync(), await self.namespaces.waitForSync() else { return }
                self.synced.withLock { $0 = true }
                let reconciler = MeteredReconciler(controller: name, inner: QueueReconciler(controller: self), metrics: self.configuration.metrics)
                await Controller(name: name, queue: self.queue, reconciler: reconciler, workers: max(1, self.configuration.workers), logger: self.logger).run()
            }
        }
    }
}

/// One reconcile of one queue.
struct QueueReconciler: Reconciler {
    let controller: QueueController

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        let c = controller
        let now = c.clock.now()
        let queue = c.queues.store.get(key)
        let selector = queue?.spec.namespaceSelector
        let labels = Dictionary(c.namespaces.store.list().map { ($0.metadata.name ?? "", $0.metadata.labels) }, uniquingKeysWith: { a, _ in a })
        let allowed: (String) -> Bool = { namespace in selector.map { $0.matches(labels[namespace] ?? [:]) && labels[namespace] != nil } ?? true }
        var members: [QueueMember] = []
        for scope in c.caches.scopes.values {
            for kind in scope.kinds.values {
                guard let source = kind as? any QueueSource else { continue }
                members += source.members(
                    of: key.name, client: c.client, recorder: c.caches.recorder, assumed: c.assumptions, namespaceAllowed: allowed, now: now,
                    recordTransitions: c.configuration.eventSink != nil)
            }
        }
        let decision = QueueAdmission.decide(name: key.name, queue: queue?.spec, jobs: members.map(\.job), now: now)
        var refused = false
        for member in members {
            guard let verdict = decision.verdicts[member.job.reference] else { continue }
            // A waiting job is told once why it waits (its position then); it is not rewritten as
            // the jobs before it leave — that would cost a write per waiting job per admission.
            // The queue's status says where the queue is now.
            if verdict.reason != .admitted, member.admitted?.status == .false, member.admitted?.reason == verdict.reason.rawValue { continue }
            guard let written = try await member.write(verdict, now) else {
                refused = true
                continue
            }
            if let uid = member.uid { c.assumptions.assume(uid: uid, before: written.before, status: written.status) }
            if verdict.reason == .admitted {
                c.configuration.metrics.recordQueueAdmission(queue: key.name, waitSeconds: now.timeIntervalSince(member.job.created))
            }
        }
        if let queue {
            let status = decision.status
            c.configuration.metrics.setQueue(key.name, status: status)
            if status != queue.status {
                var updated = queue
                updated.status = status
                do {
                    _ = try await c.client.updateStatus(updated)
                } catch let error as KubeError where error.isConflict || error.isNotFound {
                    refused = true
                }
            }
        } else {
            c.configuration.metrics.setQueue(key.name, status: nil)
        }
        // A refused write (409: the job's own reconciler wrote first) is decided again shortly on
        // fresh data; its update event enqueues the queue too.
        return refused ? .requeue(after: .milliseconds(200)) : .done
    }
}
