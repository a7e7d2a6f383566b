import Foundation
import KubeAPI
#if canImport(Glibc)
import Glibc
#endif

/// Why a pod's containers are being stopped.
enum TerminationKind: Sendable, Equatable {
    /// The pod is being deleted (deletionTimestamp, eviction, or gone from the store).
    case deletion
    /// `activeDeadlineSeconds` passed.
    case deadline
    /// The node is shutting down (an interruption).
    case nodeShutdown
    /// The local cluster stops.
    case stop
}

/// One pod the kubelet runs.
///
/// Only ever read or written by ``Kubelet``'s actor-isolated methods (child tasks only pass
/// it back to them), hence `@unchecked Sendable`.
final class PodWorker: @unchecked Sendable {
    var pod: Pod
    let uid: String
    let node: NodeConfiguration
    let directory: PodDirectory
    var runtime: PodRuntimeStatus
    /// Running processes by container name.
    var processes: [String: pid_t] = [:]
    var termination: TerminationKind?
    /// The regular containers are over: sidecars are being stopped, not restarted.
    var stoppingSidecars = false
    /// The running sidecars' tasks, by container name (``Kubelet/startSidecar(_:_:)``).
    var sidecarTasks: [(name: String, task: Task<Void, Never>)] = []
    /// Containers a node before a restart ran, which will not run again (``Kubelet/recover(_:)``).
    var settled: Set<String> = []
    /// The pod left the store: no more status writes.
    var removed = false
    var task: Task<Void, Never>?
    var deadline: Task<Void, Never>?

    init(pod: Pod, node: NodeConfiguration, root: URL) {
        self.pod = pod
        uid = pod.metadata.uid ?? ""
        self.node = node
        directory = PodDirectory(root: root, namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "", uid: uid)
        runtime = PodRuntimeStatus(node: node.name)
    }

    var namespace: String { pod.metadata.namespace ?? "" }
    var name: String { pod.metadata.name ?? "" }
}

/// The kubelet of the local nodes: watches the pods bound to them and runs each container
/// as a local process (see ``PodDirectory`` for the file layout a process sees), reporting
/// status and events as a kubelet does.
actor Kubelet {
    let writes: ClusterWrites
    let root: URL
    let configuration: KubeletConfiguration
    let watchdog: MemoryWatchdog
    let running: RunningContainers
    /// Each running pod's own loopback address.
    let addresses: PodAddressPool
    /// The pods' `/etc/hosts` files, kept current.
    let hosts: PodHostsFiles
    var nodes: [String: NodeConfiguration]
    var workers: [String: PodWorker] = [:]
    /// Pods whose worker finished; never started again.
    var finished: Set<String> = []
    /// The node crashed (``abandon()``): it writes nothing and touches no file any more.
    var abandoned = false

    init(writes: ClusterWrites, root: URL, nodes: [NodeConfiguration], configuration: KubeletConfiguration, running: RunningContainers,
         hosts: PodHostsFiles, addresses: PodAddressPool = .shared) {
        self.writes = writes
        self.root = root
        self.configuration = configuration
        self.running = running
        self.hosts = hosts
        self.addresses = addresses
        self.nodes = Dictionary(nodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        watchdog = MemoryWatchdog(interval: configuration.memoryPollInterval)
    }

    var store: ClusterStore { writes.store }

    /// Watches pods until cancelled.
    func run() async {
        let snapshot = await store.store
        guard let stream = try? await store.watch(.pods, after: snapshot.resourceVersion) else { return }
        stopOrphans()
        for object in (try? snapshot.list(.pods).items) ?? [] { await handle(.added, Pod(object: object)) }
        for await event in stream {
            if Task.isCancelled { break }
            await handle(event.type, Pod(object: event.object))
        }
    }

    /// Reacts to one change of a pod.
    func handle(_ type: WatchEventType, _ pod: Pod) async {
        let uid = pod.metadata.uid ?? ""
        if let worker = workers[uid] {
            if type == .deleted {
                worker.removed = true
                terminate(worker, .deletion)
            } else {
                worker.pod.metadata = pod.metadata
                if pod.metadata.deletionTimestamp != nil { terminate(worker, .deletion) }
            }
            return
        }
        if type == .deleted {
            // Logs and volumes live until the object is gone.
            PodDirectory(root: root, namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "", uid: uid).remove()
            return
        }
        guard !finished.contains(uid), let nodeName = pod.spec.nodeName, let node = nodes[nodeName],
              !(pod.status.phase?.isFinished ?? false) else { return }
        if pod.metadata.deletionTimestamp != nil {
            if await removeFromStore(pod) { PodDirectory(root: root, namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "", uid: uid).remove() }
            return
        }
        let worker = PodWorker(pod: pod, node: node, root: root)
        workers[uid] = worker
        worker.task = Task { await self.runPod(worker) }
    }

    /// Deletes a terminated pod's object (graceful deletion's last step); it stays while it
    /// has finalizers other than the garbage collector's.
    ///
    /// - Returns: whether the object is gone.
    @discardableResult
    func removeFromStore(_ pod: Pod) async -> Bool {
        let (namespace, name, uid, now) = (pod.metadata.namespace, pod.metadata.name ?? "", pod.metadata.uid, writes.clock())
        let result = try? await store.perform { (store: inout ObjectStore) throws(Status) in
            try store.delete(.pods, namespace: namespace, name: name,
                             options: DeleteOptions(preconditionUID: uid, propagationPolicy: .background), now: now)
        }
        if case .pending = result { return false }
        return true
    }

    /// Writes the worker's runtime status into the pod.
    func sync(_ worker: PodWorker) async {
        guard !worker.removed else { return }
        let runtime = worker.runtime
        let now = writes.clock()
        if let stored = await writes.updatePodStatus(namespace: worker.namespace, name: worker.name, uid: worker.uid, { pod in
            runtime.build(into: &pod, now: now)
        }) {
            worker.pod = stored
        }
    }

    /// Records an event about the worker's pod from the kubelet of its node.
    func event(_ worker: PodWorker, container: String? = nil, _ type: EventType, _ reason: String, _ message: String) async {
        guard !abandoned else { return }
        let fieldPath = container.map { name in
            worker.pod.spec.initContainers.contains { $0.name == name } ? "spec.initContainers{\(name)}" : "spec.containers{\(name)}"
        }
        await writes.event(about: worker.pod, fieldPath: fieldPath, type: type, reason: reason, message: message,
                           component: "kubelet", host: worker.node.name)
    }

    /// Stops every pod at once (SIGKILL) and the watchdog.
    func stop() {
        for worker in workers.values {
            worker.termination = worker.termination ?? .stop
            worker.removed = true
            worker.task?.cancel()
            worker.deadline?.cancel()
            for pid in worker.processes.values { ProcessLauncher.signalTree(pid, SIGKILL) }
        }
        watchdog.stop()
    }

    /// Waits until every worker has finished (after ``stop()``).
    func drain() async {
        for worker in workers.values { await worker.task?.value }
    }
}
