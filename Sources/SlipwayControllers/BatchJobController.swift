import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// Runs BatchJobs: informers feed a rate-limited queue of job keys; workers reconcile
/// each key with `BatchJobReconciler` (observe → decide → act).
public final class BatchJobController: Sendable {
    public let configuration: OperatorConfiguration
    let client: KubernetesClient
    let clock: any KubeClock
    let logger: Logger
    let informers: [String: BatchJobInformers]
    /// Nodes (cluster-scoped): their capacity labels, and which nodes are gone.
    let nodes: Informer<Node>
    let queue: WorkQueue<ObjectKey>
    let recorder: EventRecorder
    let reconciler: BatchJobReconciler

    public init(client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock = SystemClock(), logger: Logger = Logger(label: "slipway.batchjob")) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        let scopes: [String?] = configuration.namespaces.isEmpty ? [nil] : configuration.namespaces
        var informers: [String: BatchJobInformers] = [:]
        for scope in scopes { informers[scope ?? ""] = BatchJobInformers(client: client, namespace: scope, clock: clock) }
        self.informers = informers
        let lookup = informers
        let nodes = Informer(listerWatcher: ClientListerWatcher<Node>(client: client), indexes: [], clock: clock, transform: BatchJobInformers.trim)
        self.nodes = nodes
        self.queue = WorkQueue(name: "batchjobs", clock: clock, metrics: configuration.metrics.workQueue)
        self.recorder = EventRecorder(sink: ClientEventSink(client: client), component: "slipway-operator", instance: configuration.instance, clock: clock)
        self.reconciler = BatchJobReconciler(
            client: client, configuration: configuration, clock: clock, logger: logger,
            informers: { namespace in lookup[namespace ?? ""] ?? lookup[""] }, nodes: nodes.store,
            executor: ActionExecutor(client: client, recorder: recorder, logger: logger))
    }

    /// Lists and watches, waits for the caches, then reconciles until the task is cancelled
    /// (cancellation reaches every child: informers stop, in-flight reconciles finish).
    public func run() async {
        configuration.metrics.registerController("batchjob", queue: queue.name)
        configuration.health.trackCaches("batchjob") { [self] in isSynced }
        configuration.metrics.onScrape(BatchJob.resource.kind) { [self] in reportPhases() }
        defer {
            configuration.health.trackCaches("batchjob", synced: nil)
            configuration.metrics.onScrape(BatchJob.resource.kind, nil)
            configuration.metrics.setJobsByPhase(kind: BatchJob.resource.kind, counts: [:])
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
                self.logger.info("caches synced; reconciling BatchJobs")
                let reconciler = MeteredReconciler(controller: "batchjob", inner: self.reconciler, metrics: self.configuration.metrics)
                let controller = Controller(name: "batchjob", queue: self.queue, reconciler: reconciler, workers: max(1, self.configuration.workers), logger: self.logger)
                await controller.run()
            }
        }
    }

    /// Sets `slipway_jobs{kind="BatchJob",phase}` from the caches (a job without a phase yet is Pending).
    func reportPhases() {
        var counts = Dictionary(uniqueKeysWithValues: BatchJobPhase.allCases.map { ($0.rawValue, 0) })
        for informer in informers.values {
            for job in informer.jobs.store.list() { counts[(job.status.phase ?? .pending).rawValue, default: 0] += 1 }
        }
        configuration.metrics.setJobsByPhase(kind: BatchJob.resource.kind, counts: counts)
    }

    /// Whether every cache has listed once.
    public var isSynced: Bool {
        nodes.hasSynced && informers.values.allSatisfy { $0.jobs.hasSynced && $0.pods.hasSynced && $0.events.hasSynced }
    }
}
