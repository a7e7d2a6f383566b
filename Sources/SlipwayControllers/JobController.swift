import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// A controller the runner starts: it connects its handlers, then reconciles until cancelled.
protocol RunnableController: Sendable {
    /// Connects change handlers to the queue (before the caches run, so no event is missed).
    func connect() async
    /// Reconciles once the caches have synced, until the task is cancelled.
    func run() async
}

/// Runs the jobs of one kind: the shared caches feed a rate-limited queue of job keys;
/// workers reconcile each key with ``JobReconciler`` (observe → decide → act). One type for
/// every kind, as controller-runtime's builder wires `For(...)` and `Owns(...)` once.
final class JobController<Kind: ControlledJobKind>: RunnableController {
    let configuration: OperatorConfiguration
    let caches: OperatorCaches
    let logger: Logger
    let queue: WorkQueue<ObjectKey>
    let reconciler: JobReconciler<Kind>

    init(client: KubernetesClient, caches: OperatorCaches, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger) {
        self.configuration = configuration
        self.caches = caches
        self.logger = logger
        queue = WorkQueue(name: Kind.resource.plural, clock: clock, metrics: configuration.metrics.workQueue)
        reconciler = JobReconciler(
            client: client, configuration: configuration, clock: clock, logger: logger, caches: caches,
            executor: ActionExecutor(client: client, recorder: caches.recorder, logger: logger, clock: clock))
    }

    /// A job of this kind changed: reconcile it. Any job of any kind changed: reconcile the
    /// jobs of this kind that depend on it. A pod of this kind or one of its warning events
    /// changed: reconcile the pod's job.
    func connect() async {
        let queue = self.queue
        caches.queueIndex.register(kind: Kind.resource.kind) { key in await queue.add(key) }
        for scope in caches.scopes.values {
            guard let own = scope.caches(for: Kind.self) else { continue }
            let enqueue: @Sendable (Kind) async -> Void = { job in await queue.add(Store<Kind>.key(for: job)) }
            await own.jobs.addEventHandler(InformerEventHandler(onAdd: enqueue, onUpdate: { _, job in await enqueue(job) }, onDelete: enqueue))
            for other in scope.kinds.values {
                await other.onJobChange { parent in
                    for key in own.dependents(of: parent) { await queue.add(key) }
                }
            }
            let pods = own.pods.store
            let byPod: @Sendable (Pod) async -> Void = { pod in
                guard let name = Kind.jobName(of: pod, in: pods) else { return }
                await queue.add(ObjectKey(namespace: pod.metadata.namespace, name: name))
            }
            await own.pods.addEventHandler(InformerEventHandler(onAdd: byPod, onUpdate: { _, pod in await byPod(pod) }, onDelete: byPod))
            let byEvent: @Sendable (Event) async -> Void = { event in
                guard let name = event.involvedObject.name,
                      let pod = pods.get(name: name, namespace: event.metadata.namespace ?? event.involvedObject.namespace) else { return }
                await byPod(pod)
            }
            await scope.events.addEventHandler(InformerEventHandler(onAdd: byEvent, onUpdate: { _, event in await byEvent(event) }))
        }
    }

    /// Reconciles once the caches have synced, until the task is cancelled (in-flight
    /// reconciles finish): the workers, the queue and the kind's jobs by phase reported as
    /// metrics, the caches' sync as readiness (`/readyz`).
    func run() async {
        let caches = self.caches
        let name = Kind.controllerName
        let kind = Kind.resource.kind
        let metrics = configuration.metrics
        metrics.registerController(name, queue: queue.name)
        configuration.health.trackCaches(name) { caches.hasSynced }
        metrics.onScrape(kind) {
            var counts = Dictionary(uniqueKeysWithValues: Kind.phases.map { ($0.rawValue, 0) })
            for scope in caches.scopes.values {
                counts.merge(scope.caches(for: Kind.self)?.phaseCounts() ?? [:], uniquingKeysWith: +)
            }
            metrics.setJobsByPhase(kind: kind, counts: counts)
        }
        defer {
            configuration.health.trackCaches(name, synced: nil)
            metrics.onScrape(kind, nil)
            metrics.setJobsByPhase(kind: kind, counts: [:])
        }
        guard await caches.waitForSync() else { return }
        logger.info("caches synced; reconciling \(kind)s")
        let metered = MeteredReconciler(controller: name, inner: reconciler, metrics: metrics)
        await Controller(name: name, queue: queue, reconciler: metered, workers: max(1, configuration.workers), logger: logger).run()
    }
}
