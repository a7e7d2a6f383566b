import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import SlipwayAPI
import SlipwayCore

/// One kind's caches in one scope, seen without the kind: what the registry and the other
/// kinds' controllers need (running, syncing, the dependency graph, change notices).
protocol KindCachesProtocol: Sendable {
    func run() async
    func waitForSync() async -> Bool
    var hasSynced: Bool { get }
    /// The job `name` of this kind as a node of the dependency graph; nil when not cached.
    func graphNode(name: String, namespace: String) -> JobGraphNode?
    /// Calls `handler` with every job of this kind that is added, changed or deleted.
    func onJobChange(_ handler: @escaping @Sendable (JobReference) async -> Void) async
    /// Offers every job of this kind that is added, changed or deleted to the event sink.
    func feed(_ sink: JobEventSink, client: KubernetesClient) async
}

/// One kind's caches in one scope: its jobs, indexed by the jobs they depend on, and the
/// pods it watches.
final class KindCaches<Kind: ControlledJobKind>: KindCachesProtocol {
    let jobs: Informer<Kind>
    let pods: Informer<Pod>
    /// Jobs by the jobs they depend on (`Kind/namespace/name`): who waits for whom.
    static var byParent: StoreIndex<Kind> {
        StoreIndex(name: "parent") { job in job.graphNode.parents.map(KindCaches<Kind>.parentKey) }
    }
    /// Jobs by phase (no phase yet counts as Pending), for the jobs-by-phase metrics.
    static var byPhase: StoreIndex<Kind> {
        StoreIndex(name: "phase") { job in [(job.status.phase ?? .pending).rawValue] }
    }
    /// Pods by the job name they carry.
    static var byJobName: StoreIndex<Pod> { .label(Kind.jobNameLabel) }

    init(client: KubernetesClient, namespace: String?, clock: any KubeClock) {
        // Jobs are kept compact too: reconciles read one job at a time, and what reads
        // many (the schedule's runs, the phase metrics) goes through an index. No cache here
        // is read by namespace: each index costs an entry per object.
        jobs = Informer(
            listerWatcher: ClientListerWatcher<Kind>(client: client, namespace: namespace),
            indexes: [.controllerUID, Self.byParent, Self.byPhase], storage: .compact, clock: clock, transform: OperatorCaches.trim)
        pods = Informer(
            listerWatcher: ClientListerWatcher<Pod>(client: client, namespace: namespace, labelSelector: Kind.podSelector),
            indexes: [Self.byJobName] + Kind.podIndexes, storage: .compact, clock: clock,
            transform: OperatorCaches.trimPod)
    }

    static func parentKey(_ reference: JobReference) -> String { "\(reference.kind)/\(reference.namespace)/\(reference.name)" }

    /// The jobs of this kind that wait for `parent`.
    func dependents(of parent: JobReference) -> [ObjectKey] {
        jobs.store.byIndex(Self.byParent, value: Self.parentKey(parent)).map(Store<Kind>.key(for:))
    }

    /// How many jobs of this kind are in each phase.
    func phaseCounts() -> [String: Int] {
        let store = jobs.store
        return Dictionary(uniqueKeysWithValues: store.indexValues(Self.byPhase.name).map { ($0, store.count(inIndex: Self.byPhase.name, value: $0)) })
    }

    func graphNode(name: String, namespace: String) -> JobGraphNode? {
        jobs.store.get(name: name, namespace: namespace)?.graphNode
    }

    func onJobChange(_ handler: @escaping @Sendable (JobReference) async -> Void) async {
        let changed: @Sendable (Kind) async -> Void = { job in await handler(JobReference(job)) }
        await jobs.addEventHandler(InformerEventHandler(onAdd: changed, onUpdate: { _, job in await changed(job) }, onDelete: changed))
    }

    func feed(_ sink: JobEventSink, client: KubernetesClient) async {
        let store = jobs.store
        let offer: @Sendable (Kind, Bool) -> Void = { job, deleted in
            let key = Store<Kind>.key(for: job)
            let uid = job.metadata.uid ?? ""
            sink.offer(JobEventSink.Snapshot(
                kind: Kind.resource.kind, namespace: job.metadata.namespace ?? "", name: job.metadata.name ?? "", uid: uid,
                transitions: job.status.transitions, deleted: deleted, acknowledged: job.status.transitionsDelivered,
                finished: [.succeeded, .failed, .skipped].contains(job.status.phase),
                acknowledge: { seq in
                    // The cached job, if it is still the same one and not yet marked; a 409 or
                    // 404 leaves it unmarked (its transitions may be sent again: at least once).
                    guard var current = store.get(key), current.metadata.uid == uid, current.status.transitionsDelivered < seq else { return }
                    current.status.transitionsDelivered = seq
                    _ = try? await client.updateStatus(current)
                }))
        }
        await jobs.addEventHandler(InformerEventHandler(
            onAdd: { offer($0, false) }, onUpdate: { _, job in offer(job, false) }, onDelete: { offer($0, true) }))
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.jobs.run() }
            group.addTask { await self.pods.run() }
        }
    }

    func waitForSync() async -> Bool {
        let synced = await [jobs.waitForSync(), pods.waitForSync()]
        return !synced.contains(false)
    }

    var hasSynced: Bool { jobs.hasSynced && pods.hasSynced }
}
