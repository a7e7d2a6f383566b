import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// The caches Slipway's controllers read, listed and watched once per operator (per
/// leadership term): a registry of kinds (``JobKinds/all``) — for each watched namespace
/// (or all) each kind's jobs and pods — plus the pods' warning events per namespace and
/// the nodes cluster-wide. Every controller reads every kind's jobs (any job can be a
/// dependency of any other); one event recorder writes every controller's events.
/// Controllers only add handlers; the operator runs the caches.
final class OperatorCaches: Sendable {
    /// The informers of one namespace (key `""`: all namespaces).
    final class Scope: Sendable {
        /// Each kind's caches, by kind (`BatchJob`, `SparkJob`, …).
        let kinds: [String: any KindCachesProtocol]
        /// Warning events of pods, by pod name.
        let events: Informer<Event>
        /// With the web view on: each kind's events (`involvedObject.kind=<Kind>`), by job.
        let jobEvents: [String: Informer<Event>]

        init(client: KubernetesClient, namespace: String?, clock: any KubeClock, kinds: [any ControlledJobKind.Type], jobEvents: Bool = false) {
            var caches: [String: any KindCachesProtocol] = [:]
            for kind in kinds { caches[kind.resource.kind] = kind.makeCaches(client: client, namespace: namespace, clock: clock) }
            self.kinds = caches
            var eventInformers: [String: Informer<Event>] = [:]
            if jobEvents {
                for kind in kinds {
                    eventInformers[kind.resource.kind] = Informer(
                        listerWatcher: ClientListerWatcher<Event>(client: client, namespace: namespace, fieldSelector: "involvedObject.kind=\(kind.resource.kind)"),
                        indexes: [OperatorCaches.eventsByObject], storage: .compact, clock: clock, transform: OperatorCaches.trim)
                }
            }
            self.jobEvents = eventInformers
            events = Informer(
                listerWatcher: ClientListerWatcher<Event>(client: client, namespace: namespace, fieldSelector: "involvedObject.kind=Pod,type=Warning"),
                indexes: [OperatorCaches.eventsByPod], storage: .compact, clock: clock, transform: OperatorCaches.trimWarning)
        }

        /// The caches of `Kind` in this scope.
        func caches<Kind: ControlledJobKind>(for kind: Kind.Type) -> KindCaches<Kind>? {
            kinds[Kind.resource.kind] as? KindCaches<Kind>
        }

        /// Warning events of `pod` (its uid, when the event names one), as attempt history keeps them.
        func warnings(of pod: Pod) -> [AttemptEvent] {
            events.store.byIndex(OperatorCaches.eventsByPod, value: pod.metadata.name ?? "")
                .filter { $0.involvedObject.uid == nil || $0.involvedObject.uid == pod.metadata.uid }
                .map(AttemptEvent.init)
        }

        /// The dependency graph reachable from `job`, across every kind this scope caches.
        func graph<Kind: JobKind>(for job: Kind) -> JobGraph {
            JobGraph.reachable(from: JobReference(job), parents: job.graphNode.parents) { reference in
                kinds[reference.kind]?.graphNode(name: reference.name, namespace: reference.namespace)
            }
        }

        func run() async {
            await withDiscardingTaskGroup { group in
                for caches in kinds.values { group.addTask { await caches.run() } }
                for informer in jobEvents.values { group.addTask { await informer.run() } }
                group.addTask { await self.events.run() }
            }
        }

        func waitForSync() async -> Bool {
            for caches in kinds.values { guard await caches.waitForSync() else { return false } }
            for informer in jobEvents.values { guard await informer.waitForSync() else { return false } }
            return await events.waitForSync()
        }

        var hasSynced: Bool { events.hasSynced && kinds.values.allSatisfy(\.hasSynced) && jobEvents.values.allSatisfy(\.hasSynced) }
    }

    static let eventsByPod = StoreIndex<Event>(name: "involvedPod") { event in
        guard event.involvedObject.kind == "Pod", let name = event.involvedObject.name else { return [] }
        return [name]
    }

    /// Events by the object they are about (`namespace/name`).
    static let eventsByObject = StoreIndex<Event>(name: "involvedObject") { event in
        guard let name = event.involvedObject.name else { return [] }
        return ["\(event.involvedObject.namespace ?? event.metadata.namespace ?? "")/\(name)"]
    }

    /// Drops `managedFields`: the controllers never read them, and they are most of an object's size.
    @Sendable static func trim<T: KubeObject>(_ object: T) -> T {
        var copy = object
        copy.metadata.object.removeValue(forKey: "managedFields")
        return copy
    }

    /// The pod fields the controllers, the queue and the web view read from cached pods: the
    /// node, the capacity pin and which containers ran with what resources; the status whole.
    /// Pods are the caches' bulk (tens of thousands on a busy cluster) and a pod's spec is
    /// mostly what only the kubelet reads (env, command, args, volumes, probes, tolerations).
    /// A trimmed pod is never written back: the finalizer release reads the pod afresh.
    static let cachedPodSpecFields: Set<String> = ["nodeName", "nodeSelector", "restartPolicy", "containers", "initContainers"]
    static let cachedContainerFields: Set<String> = ["name", "image", "resources", "restartPolicy"]

    /// ``trim(_:)``, and a spec cut to ``cachedPodSpecFields`` (containers to ``cachedContainerFields``).
    @Sendable static func trimPod(_ pod: Pod) -> Pod {
        var copy = trim(pod)
        var spec = JSONObject()
        for (key, value) in pod.spec.object where cachedPodSpecFields.contains(key) {
            guard key == "containers" || key == "initContainers", let containers = value.arrayValue else {
                spec[key] = value
                continue
            }
            spec[key] = .array(containers.map { container in
                guard let fields = container.objectValue else { return container }
                var kept = JSONObject()
                for (name, field) in fields where cachedContainerFields.contains(name) { kept[name] = field }
                return .object(kept)
            })
        }
        copy.spec = PodSpec(object: spec)
        return copy
    }

    /// ``trim(_:)``, and the pod warnings' fields nobody reads: who reported the event
    /// (`source`, `reportingComponent`, `reportingInstance`), the pod's apiVersion and
    /// resourceVersion, the event's own creation time. Kept: what attempt history and the web
    /// view show (type, reason, message, count, series, times) and what matches the pod (its
    /// kind, name, namespace and uid).
    @Sendable static func trimWarning(_ event: Event) -> Event {
        var copy = trim(event)
        for field in ["source", "reportingComponent", "reportingInstance"] { copy.object.removeValue(forKey: field) }
        copy.involvedObject.object.removeValue(forKey: "apiVersion")
        copy.involvedObject.object.removeValue(forKey: "resourceVersion")
        copy.metadata.object.removeValue(forKey: "creationTimestamp")
        return copy
    }

    let scopes: [String: Scope]
    /// Nodes (cluster-scoped): their capacity labels, and which nodes are gone.
    let nodes: Informer<Node>
    let recorder: EventRecorder
    /// The JobQueues' jobs, verdicts and reserved admissions, shared by the queue controller and the job reconcilers.
    let queueIndex = QueueIndex()

    init(client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock, kinds: [any ControlledJobKind.Type] = JobKinds.all) {
        let namespaces: [String?] = configuration.namespaces.isEmpty ? [nil] : configuration.namespaces
        var scopes: [String: Scope] = [:]
        for namespace in namespaces {
            scopes[namespace ?? ""] = Scope(client: client, namespace: namespace, clock: clock, kinds: kinds, jobEvents: configuration.web != nil)
        }
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
}
