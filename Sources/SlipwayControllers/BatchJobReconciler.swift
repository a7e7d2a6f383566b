import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore
import Synchronization

/// One BatchJob reconcile: read the caches, call the pure `BatchJobDecider.decide`, write
/// the status (optimistic concurrency; a 409 requeues), then perform the actions.
///
/// Expectations: after creating pods the reconciler waits (requeues briefly) until the
/// cache has seen them, so a slow watch never leads to a decision made on stale pods.
/// Deterministic pod names make a duplicate impossible even without them.
final class BatchJobReconciler: Reconciler {
    let client: KubernetesClient
    let configuration: OperatorConfiguration
    let clock: any KubeClock
    let logger: Logger
    let informers: @Sendable (String?) -> BatchJobInformers?
    let nodes: Store<Node>
    let executor: ActionExecutor
    /// Pod names created but not yet seen in the cache, per job key, with when they were created.
    private let expectations = Mutex<[ObjectKey: (names: Set<String>, since: Date)]>([:])

    init(
        client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger,
        informers: @escaping @Sendable (String?) -> BatchJobInformers?, nodes: Store<Node>, executor: ActionExecutor
    ) {
        self.nodes = nodes
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.informers = informers
        self.executor = executor
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let caches = informers(key.namespace) else { return .done }
        guard let job = caches.jobs.store.get(key) else {
            try await releaseOrphans(key, caches)
            return .done
        }
        var logger = self.logger
        logger[metadataKey: "namespace"] = .string(key.namespace ?? "")
        logger[metadataKey: "name"] = .string(key.name)
        let pods = caches.pods.store.byIndex(.controllerUID, value: job.metadata.uid ?? "")
        if !expectationsMet(key, pods: pods) { return .requeue(after: .milliseconds(200)) }
        let input = decisionInput(job, pods: pods, caches: caches)
        let decision = BatchJobDecider.decide(input)
        if let status = decision.status, status != job.status {
            var updated = job
            updated.status = status
            do {
                _ = try await client.updateStatus(updated)
            } catch let error as KubeError where error.isConflict || error.isNotFound {
                // Stale cache: the next event or the rate-limited requeue retries on fresh data.
                logger.debug("status write refused on stale data; retrying", metadata: ["error": "\(error)"])
                return .requeueRateLimited
            }
            if status.phase != job.status.phase {
                logger.info("phase \(status.phase?.rawValue ?? "none")", metadata: ["message": .string(status.message ?? "")])
            }
            report(decision.recorded)
        }
        var executor = self.executor
        executor.logger = logger
        let created = try await executor.execute(decision.actions, for: job)
        if !created.isEmpty {
            expect(key, created)
            logger.debug("created pods", metadata: ["pods": .array(created.map { .string($0) })])
            if job.status.attempts == 0, let createdAt = job.metadata.creationTimestamp {
                configuration.metrics.recordSubmission(kind: BatchJob.resource.kind, seconds: clock.now().timeIntervalSince(createdAt))
            }
        }
        // A SparkJob parent's changes do not enqueue this job: look again while waiting for one.
        let waitsForSpark = decision.status?.phase != .succeeded && decision.status?.phase != .failed
            && job.spec.dependsOn.contains { dep in
                dep.kind == "SparkJob" && input.dependencies[dep.name].map { $0.phase != .succeeded && $0.phase != .failed } ?? true
            }
        let requeue = waitsForSpark ? min(decision.requeueAfter ?? .seconds(2), .seconds(2)) : decision.requeueAfter
        return ReconcileResult(requeueAfter: requeue)
    }

    /// Reports the attempts a written status recorded (each is written, so reported, once).
    func report(_ recorded: [RecordedAttempt]) {
        configuration.metrics.report(recorded, kind: BatchJob.resource.kind)
    }

    func decisionInput(_ job: BatchJob, pods: [Pod], caches: BatchJobInformers) -> DecisionInput {
        var events: [String: [AttemptEvent]] = [:]
        for pod in pods {
            guard let name = pod.metadata.name else { continue }
            let warnings = caches.events.store.byIndex(BatchJobInformers.eventsByPod, value: name)
                .filter { $0.involvedObject.uid == nil || $0.involvedObject.uid == pod.metadata.uid }
events[name] = warnings.map(AttemptEvent.init)
        }
        let namespace = job.metadata.namespace
        var dependencies: [String: DependencyState] = [:]
        for dependency in job.spec.dependsOn {
            dependencies[dependency.name] = dependency.kind == "SparkJob"
                ? caches.sparkJobs.store.get(name: dependency.name, namespace: namespace).map(DependencyState.init) ?? .missing
                : caches.jobs.store.get(name: dependency.name, namespace: namespace).map(DependencyState.init) ?? .missing
        }
        let cycle = dependencyCycle(through: job, caches.jobs.store)
        var nodeLabels: [String: [String: String]] = [:]
        for node in nodes.list() { nodeLabels[node.metadata.name ?? ""] = node.metadata.labels }
        let goneNodes = Set(pods.compactMap { $0.spec.nodeName }.filter { !$0.isEmpty && nodeLabels[$0] == nil })
        return DecisionInput(
            job: job, pods: pods, podEvents: events, nodeLabels: nodeLabels, goneNodes: goneNodes, dependencies: dependencies,
            validationErrors: BatchJobValidation.validate(job, policy: configuration.podPolicy, maxAttempts: configuration.maxAttempts)
                .map(\.description),
            dependencyCycle: cycle, now: clock.now(),
            configuration: configuration.deciderConfiguration)
    }

    /// The dependsOn cycle this job is part of, if any. Only the jobs reachable from it are
    /// visited, so a job without dependencies costs nothing however many jobs exist.
    func dependencyCycle(through job: BatchJob, _ jobs: Store<BatchJob>) -> [String] {
        guard !job.spec.dependsOn.isEmpty, let start = job.metadata.name else { return [] }
        var edges: [String: [String]] = [:]
        var pending = [start]
        while let name = pending.popLast() {
            guard edges[name] == nil else { continue }
            let parents = name == start ? job.spec.dependsOn.map(\.name) : (jobs.get(name: name, namespace: job.metadata.namespace)?.spec.dependsOn.map(\.name) ?? [])
            edges[name] = parents
            pending += parents
        }
        return DependencyGraph.findCycle(edges: edges).flatMap { $0.contains(start) ? $0 : nil } ?? []
    }

    // MARK: - Expectations

    func expect(_ key: ObjectKey, _ names: [String]) {
        expectations.withLock { $0[key] = (Set(names).union($0[key]?.names ?? []), clock.now()) }
    }

    /// True when every pod this controller created for the job is in the cache (or the
    /// expectation is older than a minute: then the cache is trusted again).
    func expectationsMet(_ key: ObjectKey, pods: [Pod]) -> Bool {
        let seen = Set(pods.compactMap(\.metadata.name))
        let now = clock.now()
        return expectations.withLock { all in
            guard let pending = all[key] else { return true }
            let missing = pending.names.subtracting(seen)
            if missing.isEmpty || now.timeIntervalSince(pending.since) > 60 {
                all[key] = nil
                return true
            }
            all[key] = (missing, pending.since)
            return false
        }
    }

    /// The job is gone: its pods (garbage-collected through their owner reference) must not
    /// be held by Slipway's finalizer.
    func releaseOrphans(_ key: ObjectKey, _ caches: BatchJobInformers) async throws {
        expectations.withLock { $0[key] = nil }
        let pods = caches.pods.store.byIndex(BatchJobInformers.podsByJobName, value: key.name)
            .filter { $0.metadata.namespace == key.namespace && $0.metadata.finalizers.contains(SlipwayLabels.recordFinalizer) }
        for pod in pods {
            try await executor.releasePod(pod.metadata.name ?? "", uid: pod.metadata.uid ?? "", namespace: pod.metadata.namespace)
        }
    }
}
