import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// Runs BatchJobs: the shared caches feed a rate-limited queue of job keys; workers
/// reconcile each key with `BatchJobReconciler` (observe → decide → act).
final class BatchJobController: Sendable {
    let configuration: OperatorConfiguration
    let caches: OperatorCaches
    let logger: Logger
    let queue: WorkQueue<ObjectKey>
    let reconciler: BatchJobReconciler

    init(client: KubernetesClient, caches: OperatorCaches, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger) {
        self.configuration = configuration
        self.caches = caches
        self.logger = logger
        queue = WorkQueue(name: "batchjobs", clock: clock, metrics: configuration.metrics.workQueue)
        reconciler = BatchJobReconciler(
            client: client, configuration: configuration, clock: clock, logger: logger, caches: caches,
            executor: ActionExecutor(client: client, recorder: caches.recorder, logger: logger))
    }

    /// Connects change handlers to the queue: a job (and the jobs that depend on it), its
    /// pods (by job label) and their warning events.
    func connect() async {
        let queue = self.queue
        for scope in caches.scopes.values {
            let jobs = scope.batchJobs.store
            await scope.batchJobs.addEventHandler(InformerEventHandler(
                onAdd: { job in await Self.enqueue(job, andDependentsFrom: jobs, into: queue) },
                onUpdate: { _, job in await Self.enqueue(job, andDependentsFrom: jobs, into: queue) },
                onDelete: { job in await queue.add(Store<BatchJob>.key(for: job)) }))
            let byJobLabel: @Sendable (Pod) async -> Void = { pod in
                guard let job = pod.metadata.labels[SlipwayLabels.jobName] else { return }
                await queue.add(ObjectKey(namespace: pod.metadata.namespace, name: job))
            }
            await scope.batchPods.addEventHandler(InformerEventHandler(onAdd: byJobLabel, onUpdate: { _, pod in await byJobLabel(pod) }, onDelete: byJobLabel))
            let pods = scope.batchPods.store
            let byEvent: @Sendable (Event) async -> Void = { event in
                guard let podName = event.involvedObject.name,
                      let pod = pods.get(name: podName, namespace: event.metadata.namespace ?? event.involvedObject.namespace)
                else { return }
                await byJobLabel(pod)
            }
            await scope.events.addEventHandler(InformerEventHandler(onAdd: byEvent, onUpdate: { _, event in await byEvent(event) }))
        }
    }

    /// A job changed: reconcile it, and the jobs that depend on it.
    static func enqueue(_ job: BatchJob, andDependentsFrom store: Store<BatchJob>, into queue: WorkQueue<ObjectKey>) async {
        await queue.add(Store<BatchJob>.key(for: job))
        for child in store.byIndex(OperatorCaches.jobsByParent, value: "\(job.metadata.namespace ?? "")/\(job.metadata.name ?? "")") {
            await queue.add(Store<BatchJob>.key(for: child))
        }
    }

    /// Reconciles once the caches have synced, until the task is cancelled (in-flight
    /// reconciles finish).
    func run() async {
        let caches = self.caches
        await caches.reconcile(
            controller: "batchjob", kind: BatchJob.resource.kind, queue: queue, reconciler: reconciler, configuration: configuration,
            logger: logger,
            phases: {
                OperatorCaches.phaseCounts(caches.scopes.values.flatMap { $0.batchJobs.store.list().map(\.status.phase) }, all: BatchJobPhase.self, pending: .pending)
            })
    }
}
