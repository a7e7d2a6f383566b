import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import SlipwayAPI
import SlipwayCore
import Synchronization

/// What the web view reads (docs/web.md): the operator's own caches — every kind's jobs and
/// pods in the watched namespaces, the pods' warnings and, with the view on, the jobs'
/// events — and its client, for logs. Pages never LIST: a request reads the caches. The
/// controllers attach their caches for each leadership term (``OperatorRunner``); between
/// terms, and on a standby replica, the view has nothing to show and says so.
public final class JobViewSource: Sendable {
    private let state = Mutex<(caches: OperatorCaches?, client: KubernetesClient?)>((nil, nil))

    public init() {}

    func attach(_ caches: OperatorCaches, client: KubernetesClient) { state.withLock { $0 = (caches, client) } }

    func detach(_ caches: OperatorCaches) {
        state.withLock { if $0.caches === caches { $0 = (nil, nil) } }
    }

    private var caches: OperatorCaches? { state.withLock { $0.caches } }

    /// The client the operator uses (logs stream through it); nil while no caches are attached.
    public var client: KubernetesClient? { state.withLock { $0.client } }

    /// Whether caches are attached and have listed once.
    public var isReady: Bool { caches?.hasSynced ?? false }

    /// Every cached job of `Kind`, in every watched namespace.
    public func jobs<Kind: ControlledJobKind>(_ kind: Kind.Type) -> [Kind] {
        guard let caches else { return [] }
        return caches.scopes.values.flatMap { $0.caches(for: kind)?.jobs.store.list() ?? [] }
    }

    /// The cached job, with its pods (finished ones too, while they exist).
    public func job<Kind: ControlledJobKind>(_ kind: Kind.Type, namespace: String, name: String) -> (job: Kind, pods: [Pod])? {
        guard let typed = caches?.scope(namespace)?.caches(for: kind), let job = typed.jobs.store.get(name: name, namespace: namespace) else { return nil }
        return (job, Kind.observedPods(of: job, in: typed.pods.store))
    }

    /// The job's events (this job's uid when the event names one) and its pods' warnings.
    public func events(kind: String, namespace: String, name: String, uid: String?, pods: [Pod]) -> [Event] {
        guard let scope = caches?.scope(namespace) else { return [] }
        let own = (scope.jobEvents[kind]?.store.byIndex(OperatorCaches.eventsByObject, value: "\(namespace)/\(name)") ?? [])
            .filter { $0.involvedObject.uid == nil || uid == nil || $0.involvedObject.uid == uid }
        let warnings = pods.flatMap { pod in
            scope.events.store.byIndex(OperatorCaches.eventsByPod, value: pod.metadata.name ?? "")
                .filter { $0.metadata.namespace == namespace && ($0.involvedObject.uid == nil || $0.involvedObject.uid == pod.metadata.uid) }
        }
        return own + warnings
    }
}
