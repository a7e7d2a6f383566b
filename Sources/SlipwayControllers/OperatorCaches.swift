import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// The caches Slipway's controllers read, listed and watched once per operator (per
/// leadership term): for each watched namespace (or all) BatchJobs, SparkJobs, each kind's
/// pods and pods' warning events; cluster-wide the nodes. Both controllers share them —
/// each kind's jobs are also the other's dependencies — and one event recorder writes both
/// controllers' events. Controllers only add handlers; the operator runs the caches.
final class OperatorCaches: Sendable {
    /// The informers of one namespace (key `""`: all namespaces).
    final class Scope: Sendable {
        let batchJobs: Informer<BatchJob>
        let sparkJobs: Informer<SparkJob>
        /// BatchJob attempt pods (`slipway.dev/job-name` set).
        let batchPods: Informer<Pod>
        /// Spark pods (`spark-role` set): drivers by owner UID, executors by `spark-app-selector`.
        let sparkPods: Informer<Pod>
        /// Warning events of pods, by pod name.
        let events: Informer<Event>

        init(client: KubernetesClient, namespace: String?, clock: any KubeClock) {
            batchJobs = Informer(
                listerWatcher: ClientListerWatcher<BatchJob>(client: client, namespace: namespace),
                indexes: [.namespace, OperatorCaches.jobsByParent], clock: clock)
            sparkJobs = Informer(
                listerWatcher: ClientListerWatcher<SparkJob>(client: client, namespace: namespace),
                indexes: [.namespace, OperatorCaches.sparkJobsByParent], clock: clock)
            batchPods = Informer(
                listerWatcher: ClientListerWatcher<Pod>(client: client, namespace: namespace, labelSelector: SlipwayLabels.jobName),
                indexes: [.namespace, .controllerUID, OperatorCaches.podsByJobName], clock: clock, transform: OperatorCaches.trim)
            sparkPods = Informer(
                listerWatcher: ClientListerWatcher<Pod>(client: client, namespace: namespace, labelSelector: SparkLabels.role),
                indexes: [.namespace, .controllerUID, OperatorCaches.podsByApp, OperatorCaches.podsBySparkJobName], clock: clock,
                transform: OperatorCaches.trim)
            events = Informer(
                listerWatcher: ClientListerWatcher<Event>(client: client, namespace: namespace, fieldSelector: "involvedObject.kind=Pod,type=Warning"),
                indexes: [.namespace, OperatorCaches.eventsByPod], clock: clock, transform: OperatorCaches.trim)
        }

        /// Warning events of `pod` (its uid, when the event names one), as attempt history keeps them.
        func warnings(of pod: Pod) -> [AttemptEvent] {
            events.store.byIndex(OperatorCaches.eventsByPod, value: pod.metadata.name ?? "")
                .filter { $0.involvedObject.uid == nil || $0.involvedObject.uid == pod.metadata.uid }
                .map(AttemptEvent.init)
        }

        /// How far a job named in `dependsOn` got (either kind; missing when not cached).
        func state(of dependency: Dependency, namespace: String?) -> DependencyState {
            if dependency.kind == "SparkJob" {
                return sparkJobs.store.get(name: dependency.name, namespace: namespace).map(DependencyState.init) ?? .missing
            }
            return batchJobs.store.get(name: dependency.name, namespace: namespace).map(DependencyState.init) ?? .missing
        }

        /// The BatchJobs and SparkJobs that wait for the job `name` of `kind` (their keys).
        func dependents(of name: String, kind: String, namespace: String?) -> (batchJobs: [ObjectKey], sparkJobs: [ObjectKey]) {
            let parent = "\(namespace ?? "")/\(name)"
            let names: (Dependency) -> Bool = { $0.name == name && $0.kind == kind }
            let batch = batchJobs.store.byIndex(OperatorCaches.jobsByParent, value: parent).filter { $0.spec.dependsOn.contains(where: names) }
            let spark = sparkJobs.store.byIndex(OperatorCaches.sparkJobsByParent, value: parent).filter { $0.spec.dependsOn.contains(where: names) }
            return (batch.map(Store<BatchJob>.key(for:)), spark.map(Store<SparkJob>.key(for:)))
        }

        func run() async {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.batchJobs.run() }
                group.addTask { await self.sparkJobs.run() }
                group.addTask { await self.batchPods.run() }
                group.addTask { await self.sparkPods.run() }
                group.addTask { await self.events.run() }
            }
        }

        func waitForSync() async -> Bool {
            let synced = await [
                batchJobs.waitForSync(), sparkJobs.waitForSync(), batchPods.waitForSync(), sparkPods.waitForSync(), events.waitForSync(),
            ]
            return !synced.contains(false)
        }

        var hasSynced: Bool {
            batchJobs.hasSynced && sparkJobs.hasSynced && batchPods.hasSynced && sparkPods.hasSynced && events.hasSynced
        }
    }

    static let podsByJobName = StoreIndex<Pod>.label(SlipwayLabels.jobName)
    static let podsBySparkJobName = StoreIndex<Pod>.label(SparkLabels.jobName)
    static let podsByApp = StoreIndex<Pod>.label(SparkLabels.appSelector)
    /// BatchJobs by the names of the jobs they depend on (`namespace/name`): who waits for whom.
    static let jobsByParent = StoreIndex<BatchJob>(name: "parent") { job in
        job.spec.dependsOn.map { "\(job.metadata.namespace ?? "")/\($0.name)" }
    }
    /// SparkJobs by the names of the jobs they depend on (`namespace/name`).
    static let sparkJobsByParent = StoreIndex<SparkJob>(name: "parent") { job in
        job.spec.dependsOn.map { "\(job.metadata.namespace ?? "")/\($0.name)" }
    }
    static let eventsByPod = StoreIndex<Event>(name: "involvedPod") { event in
        guard event.involvedObject.kind == "Pod", let name = event.involvedObject.name else { return [] }
        return [name]
    }

    /// Drops `managedFields`: the controllers never read them, and they are most of an object's size.
    @Sendable static func trim<T: KubeObject>(_ object: T) -> T {
        var copy = object
        copy.metadata.object.removeValue(forKey: "managedFields")
        return copy
    }

    let scopes: [String: Scope]
    /// Nodes (cluster-scoped): their capacity labels, and which nodes are gone.
    let nodes: Informer<Node>
    let recorder: EventRecorder

    init(client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock) {
        let namespaces: [String?] = configuration.namespaces.isEmpty ? [nil] : configuration.namespaces
        var scopes: [String: Scope] = [:]
        for namespace in namespaces { scopes[namespace ?? ""] = Scope(client: client, namespace: namespace, clock: clock) }
        self.scopes = scopes
        nodes = Informer(listerWatcher: ClientListerWatcher<Node>(client: client), indexes: [], clock: clock, transform: Self.trim)
        recorder = EventRecorder(sink: ClientEventSink(client: client), component: "slipway-operator", instance: configuration.instance, clock: clock)
    }

    /// The informers that hold `namespace` (the all-namespaces scope when there is one).
    func scope(_ namespace: String?) -> Scope? { scopes[namespace ?? ""] ?? scopes[""] }

    /// Node labels by node name.
    func nodeLabels() -> [String: [String: String]] {
        var labels: [String: [String: String]] = [:]
        for node in nodes.store.list() { labels[node.metadata.name ?? ""] = node.metadata.labels }
        return labels
    }

    /// Lists and watches until the task is cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.recorder.run() }
            group.addTask { await self.nodes.run() }
            for scope in scopes.values { group.addTask { await scope.run() } }
        }
    }

    func waitForSync() async -> Bool {
        for scope in scopes.values { guard await scope.waitForSync() else { return false } }
        return await nodes.waitForSync()
    }

    /// Whether every cache has listed once.
    var hasSynced: Bool { nodes.hasSynced && scopes.values.allSatisfy(\.hasSynced) }

    /// Runs one controller's workers once the caches have synced, until the task is
    /// cancelled: its reconciles, queue and job phases reported as metrics, and the caches'
    /// sync as readiness (`/readyz`).
    func reconcile<R: Reconciler>(
        controller name: String, kind: String, queue: WorkQueue<ObjectKey>, reconciler: R, configuration: OperatorConfiguration,
        logger: Logger, phases: @escaping @Sendable () -> [String: Int]
    ) async {
        let metrics = configuration.metrics
        metrics.registerController(name, queue: queue.name)
        configuration.health.trackCaches(name) { [self] in hasSynced }
        metrics.onScrape(kind) { metrics.setJobsByPhase(kind: kind, counts: phases()) }
        defer {
            configuration.health.trackCaches(name, synced: nil)
            metrics.onScrape(kind, nil)
            metrics.setJobsByPhase(kind: kind, counts: [:])
        }
        guard await waitForSync() else { return }
        logger.info("caches synced; reconciling \(kind)s")
        let metered = MeteredReconciler(controller: name, inner: reconciler, metrics: metrics)
        await Controller(name: name, queue: queue, reconciler: metered, workers: max(1, configuration.workers), logger: logger).run()
    }

    /// `slipway_jobs{kind,phase}` counts: every phase at 0, a job without a phase yet Pending.
    static func phaseCounts<Phase: RawRepresentable & CaseIterable>(_ phases: [Phase?], all: Phase.Type, pending: Phase) -> [String: Int]
    where Phase.RawValue == String {
        var counts = Dictionary(uniqueKeysWithValues: Phase.allCases.map { ($0.rawValue, 0) })
        for phase in phases { counts[(phase ?? pending).rawValue, default: 0] += 1 }
        return counts
    }
}
