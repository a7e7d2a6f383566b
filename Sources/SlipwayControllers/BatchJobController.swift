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
            // A job changed: reconcile it, and the BatchJobs that wait for it (or for a SparkJob).
            let enqueueJob: @Sendable (BatchJob) async -> Void = { job in
                await queue.add(Store<BatchJob>.key(for: job))
                await Self.enqueueDependents(of: job.metadata.name ?? "", kind: BatchJob.resource.kind, namespace: job.metadata.namespace, scope, queue)
            }
            await scope.batchJobs.addEventHandler(InformerEventHandler(
                onAdd: enqueueJob, onUpdate: { _, job in await enqueueJob(job) }, onDelete: { job in await queue.add(Store<BatchJob>.key(for: job)) }))
            let sparkParent: @Sendable (SparkJob) async -> Void = { job in
                await Self.enqueueDependents(of: job.metadata.name ?? "", kind: SparkJob.resource.kind, namespace: job.metadata.namespace, scope, queue)
            }
            await scope.sparkJobs.addEventHandler(InformerEventHandler(onAdd: sparkParent, onUpdate: { _, job in await sparkParent(job) }, onDelete: sparkParent))
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

    static func enqueueDependents(of name: String, kind: String, namespace: String?, _ scope: OperatorCaches.Scope, _ queue: WorkQueue<ObjectKey>) async {
        for key in scope.dependents(of: name, kind: kind, namespace: namespace).batchJobs { await queue.add(key) }
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
