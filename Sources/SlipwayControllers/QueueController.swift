import Foundation
import Synchronization
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// Decides each JobQueue (docs/queues.md): a reconcile takes one queue name, reads every
/// job of every kind that names it from the ``QueueIndex`` (the waiting ones already in
/// admission order), calls the pure ``QueueAdmission/decide(name:queue:jobs:now:)`` and
/// hands each verdict a job has not recorded yet to that job's own reconcile, which
/// records it — an admission after checking it again under the queue's lock, in the write
/// that launches the job. It writes only the queue's status (at most once per message window,
/// 5 s). The admitted set lives on the jobs, so a restart (or a standby taking over)
/// derives the same usage from its fresh caches.
final class QueueController: RunnableController {
    let client: KubernetesClient
    let caches: OperatorCaches
    let configuration: OperatorConfiguration
    let clock: any KubeClock
    let logger: Logger
    let queue: WorkQueue<ObjectKey>
    let queues: Informer<JobQueue>
    let namespaces: Informer<Namespace>
    /// When each queue's status was last written.
    let statusWritten = Mutex<[String: Date]>([:])
    /// When each queue was last decided.
    let decided = Mutex<[String: Date]>([:])
    /// A queue is decided at most this often: under load every change of any of its jobs
    /// asks for a decision, and each decision admits every job that fits at once.
    static var decisionInterval: TimeInterval { 0.2 }
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
        let index = caches.queueIndex
        await queues.addEventHandler(InformerEventHandler(onAdd: { queue in
            index.setSpec(queue.spec, of: queue.metadata.name ?? "")
            await byQueue(queue)
        }, onUpdate: { old, new in
            index.setSpec(new.spec, of: new.metadata.name ?? "")
            if old.spec != new.spec || old.metadata.generation != new.metadata.generation { await byQueue(new) }
        }, onDelete: { queue in
            index.setSpec(nil, of: queue.metadata.name ?? "")
            await byQueue(queue)
        }))
        let queues = self.queues
        await namespaces.addEventHandler(InformerEventHandler(onAdd: { _ in }, onUpdate: { old, new in
            guard old.metadata.labels != new.metadata.labels else { return }
            for q in queues.store.list() where q.spec.namespaceSelector != nil { await byQueue(q) }
        }))
        for scope in caches.scopes.values {
            for kind in scope.kinds.values {
                guard let source = kind as? any QueueSource else { continue }
                await source.feed(index, clock: clock)
                await source.onQueueChange(enqueue)
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
        let index = c.caches.queueIndex
        let now = c.clock.now()
        if let last = c.decided.withLock({ $0[key.name] }), now.timeIntervalSince(last) < QueueController.decisionInterval {
            return .requeue(after: .milliseconds(Int64(((QueueController.decisionInterval - now.timeIntervalSince(last)) * 1000).rounded(.up))))
        }
        c.decided.withLock { $0[key.name] = now }
        let queue = c.queues.store.get(key)
        index.setSpec(queue?.spec, of: key.name)
        var (jobs, told) = index.members(of: key.name)
        if let selector = queue?.spec.namespaceSelector {
            let labels = Dictionary(c.namespaces.store.list().map { ($0.metadata.name ?? "", $0.metadata.labels) }, uniquingKeysWith: { a, _ in a })
            for i in jobs.indices {
                let namespace = jobs[i].reference.namespace
                jobs[i].namespaceAllowed = labels[namespace].map(selector.matches) ?? false
            }
        }
        let decision = QueueAdmission.decide(name: key.name, queue: queue?.spec, jobs: jobs, now: now)
        // A waiting job is told once why it waits (its position then); it is not told again
        // as the jobs before it leave — that would cost a write per waiting job per admission.
        // The queue's status says where the queue is now.
        let handed = decision.verdicts.filter { reference, verdict in
            guard verdict.reason != .admitted, let condition = told[reference] else { return true }
            return !(condition.status == .false && condition.reason == verdict.reason.rawValue)
        }
        index.hand(handed, queue: key.name)
        for reference in handed.keys.sorted() { await index.enqueue(reference, queue: key.name) }
        guard let queue else {
            c.configuration.metrics.setQueue(key.name, status: nil)
            return .done
        }
        let status = decision.status
        c.configuration.metrics.setQueue(key.name, status: status)
        guard status != queue.status else { return .done }
        // At most one status write per message window (5 s): under load a queue is decided
        // again at every change of any of its jobs, and its counts are read, not waited on
        // (the metrics are set at every decision).
        let window = (c.configuration.statusBatchWindow * JobReconciler<BatchJob>.messageWindowFactor).seconds
        if let last = c.statusWritten.withLock({ $0[key.name] }), now.timeIntervalSince(last) < window {
            return .requeue(after: .milliseconds(Int64(((window - now.timeIntervalSince(last)) * 1000).rounded(.up))))
        }
        var updated = queue
        updated.status = status
        do {
            _ = try await c.client.updateStatus(updated)
            c.statusWritten.withLock { $0[key.name] = now }
        } catch let error as KubeError where error.isConflict || error.isNotFound {
            return .requeue(after: .milliseconds(200))
        }
        return .done
    }
}
