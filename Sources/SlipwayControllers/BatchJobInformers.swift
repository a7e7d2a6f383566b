import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import SlipwayAPI
import SlipwayCore

/// The caches the BatchJob controller reads, for one namespace (or all): BatchJobs, their
/// pods (by owner UID), warning events of pods (by pod name) and nodes (for capacity types).
/// Handlers only enqueue job keys.
final class BatchJobInformers: Sendable {
    let jobs: Informer<BatchJob>
    let pods: Informer<Pod>
    let events: Informer<Event>
    /// SparkJobs BatchJobs may depend on (dependsOn kind SparkJob).
    let sparkJobs: Informer<SparkJob>

    static let podsByJobName = StoreIndex<Pod>.label(SlipwayLabels.jobName)
    /// Jobs by the names of the jobs they depend on (`namespace/name`): who waits for whom.
    static let jobsByParent = StoreIndex<BatchJob>(name: "parent") { job in
        job.spec.dependsOn.map { "\(job.metadata.namespace ?? "")/\($0.name)" }
    }
    static let eventsByPod = StoreIndex<Event>(name: "involvedPod") { event in
        guard event.involvedObject.kind == "Pod", let name = event.involvedObject.name else { return [] }
        return [name]
    }

    init(client: KubernetesClient, namespace: String?, clock: any KubeClock) {
        jobs = Informer(
            listerWatcher: ClientListerWatcher<BatchJob>(client: client, namespace: namespace), indexes: [.namespace, Self.jobsByParent], clock: clock)
        pods = Informer(
            listerWatcher: ClientListerWatcher<Pod>(client: client, namespace: namespace, labelSelector: SlipwayLabels.jobName),
            indexes: [.namespace, .controllerUID, Self.podsByJobName], clock: clock, transform: Self.trim)
        events = Informer(
            listerWatcher: ClientListerWatcher<Event>(client: client, namespace: namespace, fieldSelector: "involvedObject.kind=Pod,type=Warning"),
            indexes: [.namespace, Self.eventsByPod], clock: clock, transform: Self.trim)
        sparkJobs = Informer(
            listerWatcher: ClientListerWatcher<SparkJob>(client: client, namespace: namespace), indexes: [.namespace], clock: clock, transform: Self.trim)
    }

    /// Drops `managedFields`: the controller never reads them, and they are most of an object's size.
    @Sendable static func trim<T: KubeObject>(_ object: T) -> T {
        var copy = object
        copy.metadata.object.removeValue(forKey: "managedFields")
        return copy
    }

    /// Connects change handlers to the queue.
    func connect(to queue: WorkQueue<ObjectKey>) async {
        await jobs.addEventHandler(InformerEventHandler(
            onAdd: { job in await Self.enqueue(job, andDependentsFrom: self.jobs.store, into: queue) },
            onUpdate: { _, job in await Self.enqueue(job, andDependentsFrom: self.jobs.store, into: queue) },
            onDelete: { job in await queue.add(Store<BatchJob>.key(for: job)) }))
        let byJobLabel: @Sendable (Pod) async -> Void = { pod in
            guard let job = pod.metadata.labels[SlipwayLabels.jobName] else { return }
            await queue.add(ObjectKey(namespace: pod.metadata.namespace, name: job))
        }
        await pods.addEventHandler(InformerEventHandler(onAdd: byJobLabel, onUpdate: { _, pod in await byJobLabel(pod) }, onDelete: byJobLabel))
        let podsStore = pods.store
        let byEvent: @Sendable (Event) async -> Void = { event in
            guard let podName = event.involvedObject.name,
                let pod = podsStore.get(name: podName, namespace: event.metadata.namespace ?? event.involvedObject.namespace)
            else { return }
            await byJobLabel(pod)
        }
        await events.addEventHandler(InformerEventHandler(onAdd: byEvent, onUpdate: { _, event in await byEvent(event) }))
    }

    /// A job changed: reconcile it, and the jobs that depend on it.
    static func enqueue(_ job: BatchJob, andDependentsFrom store: Store<BatchJob>, into queue: WorkQueue<ObjectKey>) async {
        await queue.add(Store<BatchJob>.key(for: job))
        for child in store.byIndex(jobsByParent, value: "\(job.metadata.namespace ?? "")/\(job.metadata.name ?? "")") {
            await queue.add(Store<BatchJob>.key(for: child))
        }
    }

    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.jobs.run() }
            group.addTask { await self.pods.run() }
            group.addTask { await self.events.run() }
            group.addTask { await self.sparkJobs.run() }
        }
    }

    func waitForSync() async -> Bool {
        let synced = await [jobs.waitForSync(), pods.waitForSync(), events.waitForSync(), sparkJobs.waitForSync()]
        return !synced.contains(false)
    }
}
