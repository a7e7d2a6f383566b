import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// The caches the SparkJob controller reads, for one namespace (or all): SparkJobs, Spark
/// pods (`spark-role` set: drivers by owner UID, executors by `spark-app-selector`),
/// warning events of pods, and the BatchJobs SparkJobs may depend on.
final class SparkJobInformers: Sendable {
    let jobs: Informer<SparkJob>
    let pods: Informer<Pod>
    let events: Informer<Event>
    let batchJobs: Informer<BatchJob>

    static let podsByApp = StoreIndex<Pod>.label(SparkLabels.appSelector)
    static let podsByJobName = StoreIndex<Pod>.label(SparkLabels.jobName)

    init(client: KubernetesClient, namespace: String?, clock: any KubeClock) {
        jobs = Informer(listerWatcher: ClientListerWatcher<SparkJob>(client: client, namespace: namespace), indexes: [.namespace], clock: clock)
        pods = Informer(
            listerWatcher: ClientListerWatcher<Pod>(client: client, namespace: namespace, labelSelector: SparkLabels.role),
            indexes: [.namespace, .controllerUID, Self.podsByApp, Self.podsByJobName], clock: clock, transform: BatchJobInformers.trim)
        events = Informer(
            listerWatcher: ClientListerWatcher<Event>(client: client, namespace: namespace, fieldSelector: "involvedObject.kind=Pod,type=Warning"),
            indexes: [.namespace, BatchJobInformers.eventsByPod], clock: clock, transform: BatchJobInformers.trim)
        batchJobs = Informer(
            listerWatcher: ClientListerWatcher<BatchJob>(client: client, namespace: namespace), indexes: [.namespace], clock: clock,
            transform: BatchJobInformers.trim)
    }

    /// The SparkJob a Spark pod belongs to: a driver's label, or the driver of an executor's app.
    func jobKey(for pod: Pod) -> ObjectKey? {
        if let name = pod.metadata.labels[SparkLabels.jobName] { return ObjectKey(namespace: pod.metadata.namespace, name: name) }
        guard let app = pod.metadata.labels[SparkLabels.appSelector] else { return nil }
        let driver = pods.store.byIndex(Self.podsByApp, value: app).first { $0.metadata.labels[SparkLabels.jobName] != nil }
        return driver.flatMap { $0.metadata.labels[SparkLabels.jobName] }.map { ObjectKey(namespace: pod.metadata.namespace, name: $0) }
    }

    func connect(to queue: WorkQueue<ObjectKey>) async {
        let enqueueJob: @Sendable (SparkJob) async -> Void = { await queue.add(Store<SparkJob>.key(for: $0)) }
        await jobs.addEventHandler(InformerEventHandler(onAdd: enqueueJob, onUpdate: { _, job in await enqueueJob(job) }, onDelete: enqueueJob))
        let byPod: @Sendable (Pod) async -> Void = { pod in
            if let key = self.jobKey(for: pod) { await queue.add(key) }
        }
        await pods.addEventHandler(InformerEventHandler(onAdd: byPod, onUpdate: { _, pod in await byPod(pod) }, onDelete: byPod))
        let podsStore = pods.store
        let byEvent: @Sendable (Event) async -> Void = { event in
            guard let name = event.involvedObject.name,
                  let pod = podsStore.get(name: name, namespace: event.metadata.namespace ?? event.involvedObject.namespace) else { return }
            await byPod(pod)
        }
        await events.addEventHandler(InformerEventHandler(onAdd: byEvent, onUpdate: { _, event in await byEvent(event) }))
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.jobs.run() }
            group.addTask { await self.pods.run() }
            group.addTask { await self.events.run() }
            group.addTask { await self.batchJobs.run() }
        }
    }

    func waitForSync() async -> Bool {
        let synced = await [jobs.waitForSync(), pods.waitForSync(), events.waitForSync(), batchJobs.waitForSync()]
        return !synced.contains(false)
    }

    var hasSynced: Bool { jobs.hasSynced && pods.hasSynced && events.hasSynced && batchJobs.hasSynced }
}

/// Runs SparkJobs: informers feed a rate-limited queue; workers reconcile each key with
/// ``SparkJobReconciler`` (observe → `SparkJobDecider.decide` → act).
public final class SparkJobController: Sendable {
    public let configuration: OperatorConfiguration
    let clock: any KubeClock
    let logger: Logger
    let informers: [String: SparkJobInformers]
    let nodes: Informer<Node>
    let queue: WorkQueue<ObjectKey>
    let recorder: EventRecorder
    let reconciler: SparkJobReconciler

    public init(client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock = SystemClock(), logger: Logger = Logger(label: "slipway.sparkjob")) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        let scopes: [String?] = configuration.namespaces.isEmpty ? [nil] : configuration.namespaces
        var informers: [String: SparkJobInformers] = [:]
        for scope in scopes { informers[scope ?? ""] = SparkJobInformers(client: client, namespace: scope, clock: clock) }
        self.informers = informers
        let lookup = informers
        nodes = Informer(listerWatcher: ClientListerWatcher<Node>(client: client), indexes: [], clock: clock, transform: BatchJobInformers.trim)
        queue = WorkQueue(name: "sparkjobs", clock: clock, metrics: configuration.metrics.workQueue)
        recorder = EventRecorder(sink: ClientEventSink(client: client), component: "slipway-operator", instance: configuration.instance, clock: clock)
        reconciler = SparkJobReconciler(
            client: client, configuration: configuration, clock: clock, logger: logger,
            informers: { namespace in lookup[namespace ?? ""] ?? lookup[""] }, nodes: nodes.store,
            executor: ActionExecutor(client: client, recorder: recorder, logger: logger))
    }

    public func run() async {
        let kind = SparkJob.resource.kind
        configuration.metrics.registerController("sparkjob", queue: queue.name)
        configuration.health.trackCaches("sparkjob") { [self] in isSynced }
        configuration.metrics.onScrape(kind) { [self] in reportPhases() }
        defer {
            configuration.health.trackCaches("sparkjob", synced: nil)
            configuration.metrics.onScrape(kind, nil)
            configuration.metrics.setJobsByPhase(kind: kind, counts: [:])
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.recorder.run() }
            group.addTask { await self.nodes.run() }
            for informer in informers.values {
                await informer.connect(to: queue)
                group.addTask { await informer.run() }
            }
            group.addTask {
                for informer in self.informers.values { guard await informer.waitForSync() else { return } }
                guard await self.nodes.waitForSync() else { return }
                self.logger.info("caches synced; reconciling SparkJobs")
                let reconciler = MeteredReconciler(controller: "sparkjob", inner: self.reconciler, metrics: self.configuration.metrics)
                let controller = Controller(name: "sparkjob", queue: self.queue, reconciler: reconciler, workers: max(1, self.configuration.workers), logger: self.logger)
                await controller.run()
            }
        }
    }

    /// Sets `slipway_jobs{kind="SparkJob",phase}` from the caches (a job without a phase yet is Pending).
    func reportPhases() {
        var counts = Dictionary(uniqueKeysWithValues: SparkJobPhase.allCases.map { ($0.rawValue, 0) })
        for informer in informers.values {
            for job in informer.jobs.store.list() { counts[(job.status.phase ?? .pending).rawValue, default: 0] += 1 }
        }
        configuration.metrics.setJobsByPhase(kind: SparkJob.resource.kind, counts: counts)
    }

    public var isSynced: Bool { nodes.hasSynced && informers.values.allSatisfy(\.hasSynced) }
}

/// One SparkJob reconcile: read the caches, decide, write the status (409 requeues), act.
final class SparkJobReconciler: Reconciler {
    let client: KubernetesClient
    let configuration: OperatorConfiguration
    let clock: any KubeClock
    let logger: Logger
    let informers: @Sendable (String?) -> SparkJobInformers?
    let nodes: Store<Node>
    let executor: ActionExecutor

    init(client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger,
         informers: @escaping @Sendable (String?) -> SparkJobInformers?, nodes: Store<Node>, executor: ActionExecutor) {
        self.client = client
        self.logger = logger
        self.configuration = configuration
        self.clock = clock
        self.informers = informers
        self.nodes = nodes
        self.executor = executor
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let caches = informers(key.namespace) else { return .done }
        guard let job = caches.jobs.store.get(key) else {
            try await releaseOrphans(key, caches)
            return .done
        }
        let (input, waitsAcrossKinds) = decisionInput(job, caches: caches)
        let decision = SparkJobDecider.decide(input)
        if let status = decision.status, status != job.status {
            var updated = job
            updated.status = status
            do {
                _ = try await client.updateStatus(updated)
            } catch let error as KubeError where error.isConflict || error.isNotFound {
                logger.debug("status write refused on stale data; retrying", metadata: ["error": "\(error)"])
                return .requeueRateLimited
            }
            if status.phase != job.status.phase {
                logger.info("phase \(status.phase?.rawValue ?? "none")", metadata: ["message": .string(status.message ?? "")])
            }
            configuration.metrics.report(decision.recorded, kind: SparkJob.resource.kind)
        }
        var executor = self.executor
        executor.logger = logger
        let submitted = try await executor.execute(decision.actions, for: job)
        if !submitted.isEmpty, job.status.attempts == 0, let createdAt = job.metadata.creationTimestamp {
            configuration.metrics.recordSubmission(kind: SparkJob.resource.kind, seconds: clock.now().timeIntervalSince(createdAt))
        }
        var requeue = decision.requeueAfter
        if waitsAcrossKinds { requeue = min(requeue ?? .seconds(2), .seconds(2)) }
        return ReconcileResult(requeueAfter: requeue)
    }

    func decisionInput(_ job: SparkJob, caches: SparkJobInformers) -> (SparkDecisionInput, Bool) {
        let drivers = caches.pods.store.byIndex(.controllerUID, value: job.metadata.uid ?? "")
        let executors = drivers.flatMap { driver in
            caches.pods.store.byIndex(SparkJobInformers.podsByApp, value: driver.metadata.labels[SparkLabels.appSelector] ?? "")
                .filter { $0.metadata.labels[SparkLabels.role] == "executor" }
        }
        var events: [String: [AttemptEvent]] = [:]
        for pod in drivers + executors {
            guard let name = pod.metadata.name else { continue }
            events[name] = caches.events.store.byIndex(BatchJobInformers.eventsByPod, value: name)
                .filter { $0.involvedObject.uid == nil || $0.involvedObject.uid == pod.metadata.uid }
.map(AttemptEvent.init)
        }
        let namespace = job.metadata.namespace
        var dependencies: [String: DependencyState] = [:]
        var waitsAcrossKinds = false
        for dependency in job.spec.dependsOn {
            let state: DependencyState
            if dependency.kind == "SparkJob" {
                state = caches.jobs.store.get(name: dependency.name, namespace: namespace).map(DependencyState.init) ?? .missing
            } else {
                state = caches.batchJobs.store.get(name: dependency.name, namespace: namespace).map(DependencyState.init) ?? .missing
                waitsAcrossKinds = waitsAcrossKinds || (state.phase != .succeeded && state.phase != .failed)
            }
            dependencies[dependency.name] = state
        }
        let cycle = dependencyCycle(through: job, caches.jobs.store)
        var nodeLabels: [String: [String: String]] = [:]
        for node in nodes.list() { nodeLabels[node.metadata.name ?? ""] = node.metadata.labels }
        let goneNodes = Set((drivers + executors).compactMap { $0.spec.nodeName }.filter { !$0.isEmpty && nodeLabels[$0] == nil })
        let input = SparkDecisionInput(
            job: job, drivers: drivers, executors: executors, podEvents: events, nodeLabels: nodeLabels, goneNodes: goneNodes,
            dependencies: dependencies,
            validationErrors: SparkJobValidation.validate(job, policy: configuration.podPolicy, maxAttempts: configuration.maxAttempts).map(\.description),
            dependencyCycle: cycle,
            now: clock.now(), configuration: configuration.deciderConfiguration, masterURL: configuration.sparkMaster)
        return (input, waitsAcrossKinds)
    }

    /// The SparkJob-only dependsOn cycle through this job, if any.
    func dependencyCycle(through job: SparkJob, _ jobs: Store<SparkJob>) -> [String] {
        guard !job.spec.dependsOn.isEmpty, let start = job.metadata.name else { return [] }
        var edges: [String: [String]] = [:]
        var pending = [start]
        while let name = pending.popLast() {
            guard edges[name] == nil else { continue }
            let source = name == start ? job : jobs.get(name: name, namespace: job.metadata.namespace)
            let parents = source?.spec.dependsOn.filter { $0.kind == "SparkJob" }.map(\.name) ?? []
            edges[name] = parents
            pending += parents
        }
        return DependencyGraph.findCycle(edges: edges).flatMap { $0.contains(start) ? $0 : nil } ?? []
    }

    /// The job is gone: its drivers must not be held by Slipway's finalizer.
    func releaseOrphans(_ key: ObjectKey, _ caches: SparkJobInformers) async throws {
        let pods = caches.pods.store.byIndex(SparkJobInformers.podsByJobName, value: key.name)
            .filter { $0.metadata.namespace == key.namespace && $0.metadata.finalizers.contains(SlipwayLabels.recordFinalizer) }
        for pod in pods {
            try await executor.releasePod(pod.metadata.name ?? "", uid: pod.metadata.uid ?? "", namespace: pod.metadata.namespace)
        }
    }
}
