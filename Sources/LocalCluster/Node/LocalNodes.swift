import Foundation
import KubeAPI

/// The local node(s) of a LocalCluster: registers the simulated Node objects, runs the
/// scheduler and the kubelet over a ``ClusterStore``, and offers faults (node
/// interruption, eviction) and the container logs.
///
/// ```swift
/// let nodes = try await LocalNodes.start(store: store, root: dataDirectory)
/// …
/// await nodes.stop()
/// ```
///
/// Containers run as local processes; see ``PodDirectory`` for where a process finds its
/// volumes (`$SLIPWAY_POD_ROOT/<mountPath>` or `$SLIPWAY_MOUNT_<PATH>`) and its termination
/// message file (`$SLIPWAY_TERMINATION_MESSAGE_PATH`).
public actor LocalNodes {
    public let store: ClusterStore
    /// The directory that holds `pods/<namespace>_<name>_<uid>/`.
    public let root: URL
    public let configuration: KubeletConfiguration
    private let writes: ClusterWrites
    private let kubelet: Kubelet
    private let scheduler: SchedulerLoop
    private let running = RunningContainers()
    private let hosts: PodHostsFiles
    private var configs: [String: NodeConfiguration]
    private var tasks: [Task<Void, Never>] = []

    /// Prepares the nodes; nothing runs until ``start()``.
    public init(store: ClusterStore, root: URL, nodes: [NodeConfiguration] = NodeConfiguration.defaults,
                configuration: KubeletConfiguration = KubeletConfiguration(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.root = root
        self.configuration = configuration
        writes = ClusterWrites(store: store, clock: clock)
        configs = Dictionary(nodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        hosts = PodHostsFiles(store: store)
        kubelet = Kubelet(writes: writes, root: root, nodes: nodes, configuration: configuration, running: running, hosts: hosts)
        scheduler = SchedulerLoop(writes: writes)
    }

    /// Creates and starts local nodes: registers them, then runs the scheduler, the kubelet
    /// and the node heartbeat until ``stop()``.
    public static func start(store: ClusterStore, root: URL, nodes: [NodeConfiguration] = NodeConfiguration.defaults,
                             configuration: KubeletConfiguration = KubeletConfiguration(),
                             clock: @escaping @Sendable () -> Date = { Date() }) async -> LocalNodes {
        let local = LocalNodes(store: store, root: root, nodes: nodes, configuration: configuration, clock: clock)
        await local.start()
        return local
    }

    /// Registers the nodes and starts the scheduler, the kubelet and the heartbeat.
    public func start() async {
        guard tasks.isEmpty else { return }
        try? FileManager.default.createDirectory(at: root.appendingPathComponent("pods"), withIntermediateDirectories: true)
        for config in configs.values.sorted(by: { $0.name < $1.name }) { await register(config) }
        let (kubelet, scheduler, hosts) = (self.kubelet, self.scheduler, self.hosts)
        tasks.append(Task { await hosts.run() })
        tasks.append(Task { await kubelet.run() })
        tasks.append(Task { await scheduler.run() })
        let interval = configuration.heartbeatInterval
        tasks.append(Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await self?.heartbeat()
            }
        })
    }

    /// Stops everything: SIGKILL to every container process, then the loops end.
    public func stop() async {
        for task in tasks { task.cancel() }
        tasks.removeAll()
        await kubelet.stop()
        await kubelet.drain()
    }

    /// Stops as a crash (`kill -9` of `slipway dev`) would: the loops end, nothing more is
    /// written, and the container processes keep running, unaccounted for — what a node
    /// started afterwards on the same directory must cope with. For tests.
    func crash() async {
        for task in tasks { task.cancel() }
        tasks.removeAll()
        await kubelet.abandon()
    }

    /// The names of the nodes that are up.
    public var nodeNames: [String] { configs.keys.sorted() }

    // MARK: - Nodes

    /// Creates the Node object, or refreshes its status if it exists.
    private func register(_ config: NodeConfiguration) async {
        let now = writes.clock()
        let node = NodeObject.make(config, now: now)
        _ = try? await store.perform { (store: inout ObjectStore) throws(Status) in
            if let existing = try? store.get(.nodes, namespace: nil, name: config.name) {
                var updated = existing
                updated["status"] = node["status"]
                _ = try store.update(.nodes, updated, subresource: .status, now: now)
            } else {
                _ = try store.create(.nodes, node, now: now)
            }
        }
    }

    /// Posts every node's status (lastHeartbeatTime), as the kubelet does periodically.
    func heartbeat() async {
        for config in configs.values { await setReady(config, ready: true) }
    }

    private func setReady(_ config: NodeConfiguration, ready: Bool) async {
        let now = writes.clock()
        _ = try? await store.perform { (store: inout ObjectStore) throws(Status) in
            var node = Node(object: try store.get(.nodes, namespace: nil, name: config.name))
            node.object["status"] = .object(NodeObject.status(config, ready: ready, now: now, previous: node.status))
            _ = try store.update(.nodes, node.object, subresource: .status, now: now)
        }
    }

    // MARK: - Faults

    /// Interrupts a (spot) node as a shutdown would: its pods get condition
    /// `DisruptionTarget` (reason `TerminationByKubelet`), their containers SIGTERM (exit
    /// 143) and they end Failed with reason `Terminated`; then the node goes NotReady and its
    /// object is deleted. Returns once all of that happened.
    ///
    /// - Throws: `404 NotFound` for an unknown or already interrupted node.
    public func interruptNode(_ name: String) async throws(Status) {
        guard let config = configs[name] else { throw StoreErrors.notFound(.nodes, name: name) }
        configs[name] = nil
        await kubelet.shutdownNode(name)
        await setReady(config, ready: false)
        let now = writes.clock()
        _ = try? await store.perform { (store: inout ObjectStore) throws(Status) in
            try store.delete(.nodes, namespace: nil, name: name, now: now)
        }
        interrupted[name] = config
    }

    private var interrupted: [String: NodeConfiguration] = [:]

    /// Brings an interrupted node back (a new Node object, Ready).
    ///
    /// - Throws: `404 NotFound` when no node of that name was interrupted.
    public func restoreNode(_ name: String) async throws(Status) {
        guard let config = interrupted.removeValue(forKey: name) else { throw StoreErrors.notFound(.nodes, name: name) }
        configs[name] = config
        await kubelet.addNode(config)
        await register(config)
    }

    /// Evicts a pod as the eviction API does: condition `DisruptionTarget` (reason
    /// `EvictionByEvictionAPI`), then graceful deletion (SIGTERM, SIGKILL after the grace
    /// period, the object removed). Returns once the pod is gone.
    ///
    /// - Throws: `404 NotFound`.
    public func evictPod(namespace: String, name: String) async throws(Status) {
        let pod = Pod(object: try await store.store.get(.pods, namespace: namespace, name: name))
        await kubelet.evict(pod)
    }

    // MARK: - Logs

    /// A container's log, as `pods/log` serves it: the current run, or with `previous` the
    /// run before the last restart; optionally only the last `tailLines` lines.
    ///
    /// - Throws: `404` for a missing pod; `400` with the real server's message when the
    ///   container is ambiguous, unknown, has not started, or has no previous run.
    public func logs(namespace: String, name: String, container: String? = nil, tailLines: Int? = nil, previous: Bool = false) async throws(Status) -> String {
        let file = try await logFile(namespace: namespace, name: name, container: container, previous: previous)
        return ContainerLogs.read(file.url, tailLines: tailLines)
    }

    /// Follows a container's log (`pods/log?follow=true`): existing lines (or the last
    /// `tailLines`), then new lines as they are written, until the container exits. Each
    /// element is one line without its newline.
    public func followLogs(namespace: String, name: String, container: String? = nil, tailLines: Int? = nil) async throws(Status) -> AsyncStream<String> {
        let file = try await logFile(namespace: namespace, name: name, container: container, previous: false)
        let (running, key) = (self.running, file.key)
        return ContainerLogs.follow(file.url, tailLines: tailLines) { !running.contains(key) }
    }
}
