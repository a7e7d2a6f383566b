import Foundation
import KubeAPI

/// Runs ``Scheduler`` over the store: every pending pod without `spec.nodeName` (and for
/// the default scheduler) is bound or marked unschedulable, again whenever a pod or node
/// changes.
actor SchedulerLoop {
    private let writes: ClusterWrites
    private var store: ClusterStore { writes.store }
    /// The last unschedulable message per pod uid, so that an unchanged verdict is not
    /// written (or reported) again.
    private var reported: [String: String] = [:]
    private var dirty = false
    private var running = false
    /// Whether the next pass must retry pods already found unschedulable (capacity or nodes
    /// changed); a pass after new pods only tries pods without a verdict, as the real
    /// scheduler leaves unschedulable pods alone until a relevant cluster event.
    private var retryUnschedulable = true

    init(writes: ClusterWrites) { self.writes = writes }

    /// Watches pods and nodes and schedules until the task is cancelled.
    func run() async {
        guard let pods = try? await store.watch(.pods, after: await store.store.resourceVersion),
              let nodes = try? await store.watch(.nodes, after: await store.store.resourceVersion) else { return }
        await pass()
        await withTaskGroup(of: Void.self) { group in
            for stream in [pods, nodes] {
                group.addTask { [weak self] in
                    for await event in stream {
                        guard let self, !Task.isCancelled else { break }
                        let trigger = Self.trigger(for: event)
                        if trigger != .none { await self.trigger(retryUnschedulable: trigger == .capacity) }
                    }
                }
            }
        }
    }

    /// What a change means for scheduling.
    enum Trigger { case none, newPod, capacity }

    /// A new pod needs a try; a deleted pod, a pod whose node assignment changed, a pod that
    /// finished (its requests are free again) or any node change can let unschedulable pods
    /// fit. Status updates of running pods (most events) need nothing.
    static func trigger(for event: StoreEvent) -> Trigger {
        guard event.resource.qualifiedName == ResourceType.pods.qualifiedName else { return .capacity }
        if event.type == .added { return .newPod }
        guard event.type == .modified, let previous = event.previous else { return .capacity }
        let before = Pod(object: previous)
        let after = Pod(object: event.object)
        if before.spec.nodeName != after.spec.nodeName { return .capacity }
        let wasFinished = before.status.phase?.isFinished ?? false
        let isFinished = after.status.phase?.isFinished ?? false
        return wasFinished != isFinished ? .capacity : .none
    }

    /// Coalesces triggers: one pass runs at a time, another follows if anything changed.
    func trigger(retryUnschedulable: Bool) async {
        if retryUnschedulable { self.retryUnschedulable = true }
        dirty = true
        guard !running else { return }
        running = true
        while dirty {
            dirty = false
            await pass()
        }
        running = false
    }

    /// One scheduling pass over every pending, unbound pod.
    func pass() async {
        let snapshot = await store.store
        guard let podList = try? snapshot.list(.pods), let nodeList = try? snapshot.list(.nodes) else { return }
        let nodes = nodeList.items.map(Node.init(object:))
        var bound: [String: [Pod]] = [:]
        var pending: [Pod] = []
        for pod in podList.items.map(Pod.init(object:)) {
            if let node = pod.spec.nodeName, !node.isEmpty { bound[node, default: []].append(pod); continue }
            let scheduler = pod.spec.schedulerName ?? "default-scheduler"
            guard scheduler == "default-scheduler", pod.metadata.deletionTimestamp == nil,
                  !(pod.status.phase?.isFinished ?? false) else { continue }
            pending.append(pod)
        }
        let pendingUIDs = Set(pending.compactMap(\.metadata.uid))
        reported = reported.filter { pendingUIDs.contains($0.key) }
        let retry = retryUnschedulable
        retryUnschedulable = false
        if !retry { pending.removeAll { reported[$0.metadata.uid ?? ""] != nil } }
        for pod in pending.sorted(by: { ($0.metadata.creationTimestamp ?? .distantPast) < ($1.metadata.creationTimestamp ?? .distantPast) }) {
            switch Scheduler.schedule(pod, nodes: nodes, podsOnNodes: bound) {
            case .bind(let node):
                if let stored = await bind(pod, to: node) { bound[node, default: []].append(stored) }
            case .unschedulable(let message):
                await markUnschedulable(pod, message: message)
            }
        }
    }

    /// Sets `spec.nodeName` (as the binding subresource does), then PodScheduled=True.
    private func bind(_ pod: Pod, to node: String) async -> Pod? {
        let now = writes.clock()
        let (namespace, name, uid) = (pod.metadata.namespace ?? "", pod.metadata.name ?? "", pod.metadata.uid ?? "")
        var bound = pod
        bound.spec.nodeName = node
        let object = bound.object
        guard (try? await store.perform({ (store: inout ObjectStore) throws(Status) in
            try store.update(.pods, object, namespace: namespace, name: name, now: now)
        })) != nil else { return nil }
        reported[uid] = nil
        let stored = await writes.updatePodStatus(namespace: namespace, name: name, uid: uid) { pod in
            PodConditions.set(&pod.status, type: "PodScheduled", status: .true, now: now)
        }
        await writes.event(about: stored ?? bound, type: .normal, reason: "Scheduled",
                           message: "Successfully assigned \(namespace)/\(name) to \(node)", component: "default-scheduler")
        return stored
    }

    private func markUnschedulable(_ pod: Pod, message: String) async {
        let uid = pod.metadata.uid ?? ""
        guard reported[uid] != message else { return }
        reported[uid] = message
        let now = writes.clock()
        let stored = await writes.updatePodStatus(namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "", uid: uid) { pod in
            if pod.status.phase == nil { pod.status.phase = .pending }
            PodConditions.set(&pod.status, type: "PodScheduled", status: .false, reason: "Unschedulable", message: message, now: now)
        }
        await writes.event(about: stored ?? pod, type: .warning, reason: "FailedScheduling", message: message, component: "default-scheduler")
    }
}
