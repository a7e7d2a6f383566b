import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore
import Synchronization

/// Runs SparkJobs: the shared caches feed a rate-limited queue; workers reconcile each key
/// with ``SparkJobReconciler`` (observe → `SparkJobDecider.decide` → act).
final class SparkJobController: Sendable {
    let configuration: OperatorConfiguration
    let caches: OperatorCaches
    let logger: Logger
    let queue: WorkQueue<ObjectKey>
    let reconciler: SparkJobReconciler

    init(client: KubernetesClient, caches: OperatorCaches, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger) {
        self.configuration = configuration
        self.caches = caches
        self.logger = logger
        queue = WorkQueue(name: "sparkjobs", clock: clock, metrics: configuration.metrics.workQueue)
        reconciler = SparkJobReconciler(
            client: client, configuration: configuration, clock: clock, logger: logger, caches: caches,
            executor: ActionExecutor(client: client, recorder: caches.recorder, logger: logger))
    }

    /// The SparkJob a Spark pod belongs to: a driver's label, or the driver of an executor's app.
    static func jobKey(for pod: Pod, drivers: Store<Pod>) -> ObjectKey? {
        if let name = pod.metadata.labels[SparkLabels.jobName] { return ObjectKey(namespace: pod.metadata.namespace, name: name) }
        guard let app = pod.metadata.labels[SparkLabels.appSelector] else { return nil }
        let driver = drivers.byIndex(OperatorCaches.podsByApp, value: app).first { $0.metadata.labels[SparkLabels.jobName] != nil }
        return driver.flatMap { $0.metadata.labels[SparkLabels.jobName] }.map { ObjectKey(namespace: pod.metadata.namespace, name: $0) }
    }

    /// Connects change handlers to the queue: a job, its driver and executor pods, and their warning events.
    func connect() async {
        let queue = self.queue
        for scope in caches.scopes.values {
            // A job changed: reconcile it, and the SparkJobs that wait for it (or for a BatchJob).
            let dependents: @Sendable (String?, String, String) async -> Void = { namespace, name, kind in
                for key in scope.dependents(of: name, kind: kind, namespace: namespace).sparkJobs { await queue.add(key) }
            }
            let enqueueJob: @Sendable (SparkJob) async -> Void = { job in
                await queue.add(Store<SparkJob>.key(for: job))
                await dependents(job.metadata.namespace, job.metadata.name ?? "", SparkJob.resource.kind)
            }
            await scope.sparkJobs.addEventHandler(InformerEventHandler(onAdd: enqueueJob, onUpdate: { _, job in await enqueueJob(job) }, onDelete: enqueueJob))
            let batchParent: @Sendable (BatchJob) async -> Void = { job in
                await dependents(job.metadata.namespace, job.metadata.name ?? "", BatchJob.resource.kind)
            }
            await scope.batchJobs.addEventHandler(InformerEventHandler(onAdd: batchParent, onUpdate: { _, job in await batchParent(job) }, onDelete: batchParent))
            let pods = scope.sparkPods.store
            let byPod: @Sendable (Pod) async -> Void = { pod in
                if let key = Self.jobKey(for: pod, drivers: pods) { await queue.add(key) }
            }
            await scope.sparkPods.addEventHandler(InformerEventHandler(onAdd: byPod, onUpdate: { _, pod in await byPod(pod) }, onDelete: byPod))
            let byEvent: @Sendable (Event) async -> Void = { event in
                guard let name = event.involvedObject.name,
                      let pod = pods.get(name: name, namespace: event.metadata.namespace ?? event.involvedObject.namespace) else { return }
                await byPod(pod)
            }
            await scope.events.addEventHandler(InformerEventHandler(onAdd: byEvent, onUpdate: { _, event in await byEvent(event) }))
        }
    }

    /// Reconciles once the caches have synced, until the task is cancelled.
    func run() async {
        let caches = self.caches
        await caches.reconcile(
            controller: "sparkjob", kind: SparkJob.resource.kind, queue: queue, reconciler: reconciler, configuration: configuration,
            logger: logger,
            phases: {
                OperatorCaches.phaseCounts(caches.scopes.values.flatMap { $0.sparkJobs.store.list().map(\.status.phase) }, all: SparkJobPhase.self, pending: .pending)
            })
    }
}

/// One SparkJob reconcile: read the caches, decide, write the status (409 requeues), act.
final class SparkJobReconciler: Reconciler {
    let client: KubernetesClient
    let configuration: OperatorConfiguration
    let clock: any KubeClock
    let logger: Logger
    let caches: OperatorCaches
    let executor: ActionExecutor
    /// Per job key: drivers whose whole submission succeeded in this process, and drivers
    /// whose last submission failed (see ``SparkDecisionInput``).
    private let submissions = Mutex<[ObjectKey: (complete: Set<String>, failed: Set<String>)]>([:])

    init(client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger,
         caches: OperatorCaches, executor: ActionExecutor) {
        self.client = client
        self.logger = logger
        self.configuration = configuration
        self.clock = clock
        self.caches = caches
        self.executor = executor
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let scope = caches.scope(key.namespace) else { return .done }
        guard let job = scope.sparkJobs.store.get(key) else {
            submissions.withLock { $0[key] = nil }
            try await executor.releaseOrphans(scope.sparkPods.store.byIndex(OperatorCaches.podsBySparkJobName, value: key.name), of: key)
            return .done
        }
        var logger = self.logger
        logger[metadataKey: "namespace"] = .string(key.namespace ?? "")
        logger[metadataKey: "name"] = .string(key.name)
        var executor = self.executor
        executor.logger = logger
        var input = decisionInput(job, scope: scope)
        (input.completeSubmissions, input.failedCreates) = submissions.withLock { $0[key] ?? ([], []) }
        let decision = SparkJobDecider.decide(input)
        if let status = decision.status, status != job.status {
            var updated = job
            updated.status = status
            let phase = (job.status.phase?.rawValue, status.phase?.rawValue)
            guard try await executor.writeStatus(updated, phase: phase, message: status.message) else { return .requeueRateLimited }
            configuration.metrics.report(decision.recorded, kind: SparkJob.resource.kind)
        }
        let submitted = try await executor.execute(decision.actions, for: job) { name in
            _ = self.submissions.withLock { $0[key, default: ([], [])].failed.insert(name) }
        }
        if !submitted.isEmpty {
            submissions.withLock { all in
                all[key, default: ([], [])].complete.formUnion(submitted)
                all[key]?.failed.subtract(submitted)
            }
        }
        if !submitted.isEmpty, job.status.attempts == 0, let createdAt = job.metadata.creationTimestamp {
            configuration.metrics.recordSubmission(kind: SparkJob.resource.kind, seconds: clock.now().timeIntervalSince(createdAt))
        }
        return ReconcileResult(requeueAfter: decision.requeueAfter)
    }

    func decisionInput(_ job: SparkJob, scope: OperatorCaches.Scope) -> SparkDecisionInput {
        let pods = scope.sparkPods.store
        let drivers = pods.byIndex(.controllerUID, value: job.metadata.uid ?? "")
        // Candidates by label; decide keeps those owned by their driver pod.
        let executors = drivers.flatMap { driver in
            pods.byIndex(OperatorCaches.podsByApp, value: driver.metadata.labels[SparkLabels.appSelector] ?? "")
                .filter { $0.metadata.labels[SparkLabels.role] == "executor" }
        }
        var events: [String: [AttemptEvent]] = [:]
        for pod in drivers + executors { if let name = pod.metadata.name { events[name] = scope.warnings(of: pod) } }
        var dependencies: [String: DependencyState] = [:]
        for dependency in job.spec.dependsOn { dependencies[dependency.name] = scope.state(of: dependency, namespace: job.metadata.namespace) }
        let cycle = dependencyCycle(through: job, scope.sparkJobs.store)
        let nodeLabels = caches.nodeLabels()
        let goneNodes = Set((drivers + executors).compactMap { $0.spec.nodeName }.filter { !$0.isEmpty && nodeLabels[$0] == nil })
        return SparkDecisionInput(
            job: job, drivers: drivers, executors: executors, podEvents: events, nodeLabels: nodeLabels, goneNodes: goneNodes,
            dependencies: dependencies,
            validationErrors: SparkJobValidation.validate(job, policy: configuration.podPolicy, maxAttempts: configuration.maxAttempts).map(\.description),
            dependencyCycle: cycle,
            now: clock.now(), configuration: configuration.deciderConfiguration, masterURL: configuration.sparkMaster)
    }

    /// The SparkJob-only dependsOn cycle through this job, if any.
    func dependencyCycle(through job: SparkJob, _ jobs: Store<SparkJob>) -> [String] {
        guard !job.spec.dependsOn.isEmpty, let start = job.metadata.name else { return [] }
        return DependencyGraph.cycle(through: start) { name in
            (name == start ? job : jobs.get(name: name, namespace: job.metadata.namespace))?.spec.dependsOn.filter { $0.kind == "SparkJob" }.map(\.name) ?? []
        }
    }
}
