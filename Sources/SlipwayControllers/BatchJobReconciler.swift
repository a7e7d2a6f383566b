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
    let caches: OperatorCaches
    let executor: ActionExecutor
    /// Pod names created but not yet seen in the cache, per job key, with when they were created.
    private let expectations = Mutex<[ObjectKey: (names: Set<String>, since: Date)]>([:])
    /// Pod names whose last create failed, per job key (decide requests them again at once).
    private let failedCreates = Mutex<[ObjectKey: Set<String>]>([:])

    init(
        client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger,
        caches: OperatorCaches, executor: ActionExecutor
    ) {
        self.caches = caches
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.executor = executor
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let scope = caches.scope(key.namespace) else { return .done }
        guard let job = scope.batchJobs.store.get(key) else {
            expectations.withLock { $0[key] = nil }
            failedCreates.withLock { $0[key] = nil }
            try await executor.releaseOrphans(scope.batchPods.store.byIndex(OperatorCaches.podsByJobName, value: key.name), of: key)
            return .done
        }
        var logger = self.logger
        logger[metadataKey: "namespace"] = .string(key.namespace ?? "")
        logger[metadataKey: "name"] = .string(key.name)
        let pods = scope.batchPods.store.byIndex(.controllerUID, value: job.metadata.uid ?? "")
        if !expectationsMet(key, pods: pods) { return .requeue(after: .milliseconds(200)) }
        var input = decisionInput(job, pods: pods, scope: scope)
        input.failedCreates = failedCreates.withLock { $0[key] ?? [] }
        let decision = BatchJobDecider.decide(input)
        var executor = self.executor
        executor.logger = logger
        if let status = decision.status, status != job.status {
            var updated = job
            updated.status = status
            let phase = (job.status.phase?.rawValue, status.phase?.rawValue)
            guard try await executor.writeStatus(updated, phase: phase, message: status.message) else { return .requeueRateLimited }
            configuration.metrics.report(decision.recorded, kind: BatchJob.resource.kind)
        }
        let created = try await executor.execute(decision.actions, for: job) { name in
            _ = self.failedCreates.withLock { $0[key, default: []].insert(name) }
        }
        if !created.isEmpty {
            failedCreates.withLock { $0[key]?.subtract(created) }
            expect(key, created)
            logger.debug("created pods", metadata: ["pods": .array(created.map { .string($0) })])
            if job.status.attempts == 0, let createdAt = job.metadata.creationTimestamp {
                configuration.metrics.recordSubmission(kind: BatchJob.resource.kind, seconds: clock.now().timeIntervalSince(createdAt))
            }
        }
        return ReconcileResult(requeueAfter: decision.requeueAfter)
    }

    func decisionInput(_ job: BatchJob, pods: [Pod], scope: OperatorCaches.Scope) -> DecisionInput {
        var events: [String: [AttemptEvent]] = [:]
        for pod in pods { if let name = pod.metadata.name { events[name] = scope.warnings(of: pod) } }
        var dependencies: [String: DependencyState] = [:]
        for dependency in job.spec.dependsOn { dependencies[dependency.name] = scope.state(of: dependency, namespace: job.metadata.namespace) }
        let cycle = dependencyCycle(through: job, scope.batchJobs.store)
        let nodeLabels = caches.nodeLabels()
        let goneNodes = Set(pods.compactMap { $0.spec.nodeName }.filter { !$0.isEmpty && nodeLabels[$0] == nil })
        return DecisionInput(
            job: job, pods: pods, podEvents: events, nodeLabels: nodeLabels, goneNodes: goneNodes, dependencies: dependencies,
            validationErrors: BatchJobValidation.validate(job, policy: configuration.podPolicy, maxAttempts: configuration.maxAttempts)
                .map(\.description),
            dependencyCycle: cycle, now: clock.now(),
            configuration: configuration.deciderConfiguration)
    }

    /// The dependsOn cycle this job is part of, if any.
    func dependencyCycle(through job: BatchJob, _ jobs: Store<BatchJob>) -> [String] {
        guard !job.spec.dependsOn.isEmpty, let start = job.metadata.name else { return [] }
        return DependencyGraph.cycle(through: start) { name in
            (name == start ? job : jobs.get(name: name, namespace: job.metadata.namespace))?.spec.dependsOn.map(\.name) ?? []
        }
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

}
