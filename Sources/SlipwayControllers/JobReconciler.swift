import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import Synchronization
import SlipwayAPI
import SlipwayCore

/// One reconcile of a job of any kind: read the caches, call the pure
/// ``JobDecider/decide(_:)``, write the status (optimistic concurrency; a 409 requeues),
/// then perform the actions.
///
/// ``Expectations``: after creating an attempt the reconciler waits (requeues briefly) until
/// the cache has seen its pod, so a slow watch never leads to a decision made on stale
/// pods; deterministic names make a duplicate impossible even without them. Failed and
/// completed creations go into the next decision (``CreationRecord``).
final class JobReconciler<Kind: ControlledJobKind>: Reconciler {
    let client: KubernetesClient
    let configuration: OperatorConfiguration
    let clock: any KubeClock
    let logger: Logger
    let caches: OperatorCaches
    let executor: ActionExecutor
    let expectations: Expectations<ObjectKey>
    /// The longer window, in batch windows: a change of the message alone (the scheduler's
    /// reason for a pending pod arrived) and progress before any pod runs (Pending,
    /// Submitted) wait this long (``StatusUrgency``); Running is written within one window.
    static var messageWindowFactor: Int { 5 }

    /// Each job's status writes held back and its last write (``StatusHold``: when a held
    /// write is due). Entries older than twice the longer window are dropped as the map grows.
    private let holds = Mutex<[ObjectKey: StatusHold]>([:])

    /// The resourceVersion each job had when this process last wrote its status, and when.
    /// While the cache still shows that version it has not seen the write: a decision made
    /// on it would repeat the write and meet a 409 (measured: most of the extra status PUTs
    /// under load were such 409s). The watch event of the write reconciles the job again; an
    /// entry older than ``writeSeenTimeout`` is dropped (the job is requeued for then), so a
    /// lost event costs one decision on stale data, as without this guard, never a stuck job.
    private let unseenWrites = Mutex<[ObjectKey: (resourceVersion: String, at: Date)]>([:])
    static var writeSeenTimeout: Duration { .seconds(5) }

    init(
        client: KubernetesClient, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger,
        caches: OperatorCaches, executor: ActionExecutor
    ) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.caches = caches
        self.executor = executor
        expectations = Expectations(clock: clock)
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let scope = caches.scope(key.namespace), let own = scope.caches(for: Kind.self) else { return .done }
        guard let job = own.jobs.store.get(key) else {
            expectations.forget(key)
            _ = holds.withLock { $0.removeValue(forKey: key) }
            _ = unseenWrites.withLock { $0.removeValue(forKey: key) }
            try await executor.releaseOrphans(own.pods.store.byIndex(KindCaches<Kind>.byJobName, value: SlipwayLabels.jobNameValue(key.name)), of: key)
            return .done
        }
        if let wait = cacheBehindOwnWrite(job, key: key) { return .requeue(after: wait) }
        var logger = self.logger
        logger[metadataKey: "namespace"] = .string(key.namespace ?? "")
        logger[metadataKey: "name"] = .string(key.name)
        var executor = self.executor
        executor.logger = logger
        let pods = Kind.observedPods(of: job, in: own.pods.store)
        // Each created pod's watch event queues the job again as it reaches the cache; the
        // requeue only bounds the wait (polling every 200 ms cost ~100 reconciles per job when
        // the pod watch lagged with 50,000 pods).
        guard expectations.satisfied(for: key, seen: Set(pods.compactMap(\.metadata.name))) else { return .requeue(after: .seconds(5)) }
        // Queue admission (docs/queues.md): the verdict the queue's last decision handed this
        // job. A decision that records an admission reserves it in the queue's index first:
        // checked against every admission recorded on the queue's jobs and every one this
        // process is writing, and counted from then on (atomically: two jobs of one queue
        // never both take its last room). Only a write refused for certain takes it back.
        // When the room is gone the job decides again without it and waits. The write comes
        // before any pod, so no pod exists before the write that records its admission.
        let queueIndex = caches.queueIndex
        let verdict = job.queueName.flatMap { queueIndex.verdict(for: JobReference(job), queue: $0) }
        var decision = JobDecider<Kind>.decide(input(job, key: key, pods: pods, scope: scope, queueVerdict: verdict))
        var reserved: (job: QueuedJob, queue: String)?
        if let queue = job.queueName, let status = decision.status, let granted = status.admission, granted != job.status.admission {
            var updated = job
            updated.status = status
            let now = clock.now()
            if let before = KindCaches<Kind>.entry(job, queue: queue, now: now)?.job,
               let written = KindCaches<Kind>.entry(updated, queue: queue, now: now)?.job,
               queueIndex.reserve(written, replacing: before, queue: queue, now: now) {
                reserved = (written, queue)
            } else {
                decision = JobDecider<Kind>.decide(input(job, key: key, pods: pods, scope: scope))
            }
        }
        let admission = reserved.flatMap { $0.job.admission }
        if var status = decision.status, status != job.status {
            switch admission == nil ? decision.statusUrgency : .now {
            case .withNextWrite:
                // Nothing a user reads changed: the next write carries the counts.
                try await execute(decision, job: job, key: key, logger: logger, executor: executor)
                return ReconcileResult(requeueAfter: decision.requeueAfter)
            case .batched, .starting, .message:
                // A job of a queue that has not decided on it yet waits for its verdict (the
                // queue reconciles it with one), so that its first write says why it waits.
                if decision.actions.isEmpty, let wait = verdictWait(job, verdict: verdict) { return ReconcileResult(requeueAfter: wait) }
                // Only progress changed: fold it into the next write (at the latest when the
                // window ends). The actions go ahead.
                if let wait = statusWait(job, key: key, showing: status.phase, urgency: decision.statusUrgency) {
                    try await execute(decision, job: job, key: key, logger: logger, executor: executor)
                    return ReconcileResult(requeueAfter: min(wait, decision.requeueAfter ?? wait))
                }
            case .now:
                break
            }
            // With an event sink, the transitions go into the same write (docs/events.md); a
            // transition folded away above was never shown, so it is not announced either.
            if configuration.eventSink != nil {
                status = JobOutbox.record(from: job.status, to: status, recorded: decision.recorded, at: clock.now())
            }
            var updated = job
            updated.status = status
            let phase = (job.status.phase?.rawValue, status.phase?.rawValue)
            guard try await executor.writeStatus(updated, phase: phase, message: status.message) else {
                if let reserved { queueIndex.retract(reserved.job, queue: reserved.queue) }
                return .requeueRateLimited
            }
            noteStatusWrite(key, from: job.metadata.resourceVersion)
            if let admission {
                let created = job.metadata.creationTimestamp ?? clock.now()
                configuration.metrics.recordQueueAdmission(queue: admission.queue, waitSeconds: clock.now().timeIntervalSince(created))
            }
            configuration.metrics.report(decision.recorded, kind: Kind.resource.kind)
            Kind.reportWritten(from: job.status, to: status, metrics: configuration.metrics)
        }
        try await execute(decision, job: job, key: key, logger: logger, executor: executor)
        return ReconcileResult(requeueAfter: decision.requeueAfter)
    }

    /// How long a job that names a queue, was never told a verdict and has none handed yet
    /// holds its first status back (nil: no longer): at most the longer message window from
    /// its creation; the queue's decision hands it one and reconciles it.
    private func verdictWait(_ job: Kind, verdict: QueueVerdict?) -> Duration? {
        guard job.queueName != nil, verdict == nil, job.status.conditions[.admitted] == nil,
              let created = job.metadata.creationTimestamp else { return nil }
        let left = created.addingTimeInterval((configuration.statusBatchWindow * Self.messageWindowFactor).seconds).timeIntervalSince(clock.now())
        guard left > 0 else { return nil }
        return .milliseconds(Int64((left * 1000).rounded(.up)))
    }

    /// How long a status write that may wait still can (nil: write now), by the job's
    /// ``StatusHold``: the last write by another writer is the newest condition transition
    /// the job shows (the queue controller's verdict).
    private func statusWait(_ job: Kind, key: ObjectKey, showing phase: JobPhase?, urgency: StatusUrgency) -> Duration? {
        let window = configuration.statusBatchWindow
        guard window > .zero else { return nil }
        let now = clock.now()
        let transition = job.status.conditions.compactMap(\.lastTransitionTime).max()
        let due = holds.withLock { holds in
            holds[key, default: StatusHold()].hold(
                phase, urgency: urgency, at: now, otherWrite: transition,
                window: window.seconds, longWindow: (window * Self.messageWindowFactor).seconds)
        }
        let left = due.timeIntervalSince(now)
        guard left > 0 else { return nil }
        return .milliseconds(Int64((left * 1000).rounded(.up)))
    }

    private func noteStatusWrite(_ key: ObjectKey, from resourceVersion: String?) {
        let now = clock.now()
        // A window start is kept twice as long as the longest window: one dropped earlier
        // restarted a held-back write's window at every look, and with more than 4,096 jobs
        // (pruned at every write) such a write was never made — a job looked again every
        // second for minutes (100 reconciles per job with 10,000 jobs of pending pods).
        let keep = (configuration.statusBatchWindow * Self.messageWindowFactor * 2).seconds
        holds.withLock { holds in
            holds[key, default: StatusHold()].written(at: now)
            pruneAged(&holds, now: now, keep: keep) { $0.newest ?? now }
        }
        guard let resourceVersion else { return }
        unseenWrites.withLock { writes in
            writes[key] = (resourceVersion, now)
            pruneAged(&writes, now: now, keep: Self.writeSeenTimeout.seconds) { $0.at }
        }
    }

    /// How long to wait before deciding on `job` (nil: decide now) when the cache still shows
    /// the version this process last wrote the status over (``unseenWrites``): until the
    /// timeout, as a bound only — the write's watch event queues the job again as soon as the
    /// cache has it (polling instead cost 100 reconciles per job with 50,000 pods cached).
    private func cacheBehindOwnWrite(_ job: Kind, key: ObjectKey) -> Duration? {
        let now = clock.now()
        return unseenWrites.withLock { writes -> Duration? in
            guard let write = writes[key] else { return nil }
            let left = Self.writeSeenTimeout.seconds - now.timeIntervalSince(write.at)
            guard write.resourceVersion == job.metadata.resourceVersion, left > 0 else {
                writes[key] = nil
                return nil
            }
            return .milliseconds(Int64((left * 1000).rounded(.up)))
        }
    }

    /// Performs the decision's actions; notes what was created in ``expectations``.
    private func execute(_ decision: JobDecision<Kind.Status>, job: Kind, key: ObjectKey, logger: Logger, executor: ActionExecutor) async throws {
        let expectations = self.expectations
        let created = try await executor.execute(decision.actions, for: job) { name, refusal in
            expectations.createFailed(name, for: key, refusal: refusal)
        }
        if !created.isEmpty {
            expectations.created(created, for: key)
            if Kind.attemptsOwnObjects { expectations.completed(created, for: key) }
            logger.debug("created", metadata: ["pods": .array(created.map { .string($0) })])
            // The job's first launches (a status held back may still show none written).
            if job.status.attempts == 0, decision.status?.attempts == created.count, let createdAt = job.metadata.creationTimestamp {
                configuration.metrics.recordSubmission(kind: Kind.resource.kind, seconds: clock.now().timeIntervalSince(createdAt))
            }
        }
    }

    /// What the decision reads: the job, its pods and their warnings, nodes, the dependency
    /// graph across kinds, the time and what this process knows of its creates.
    func input(_ job: Kind, key: ObjectKey, pods: [Pod], scope: OperatorCaches.Scope, queueVerdict: QueueVerdict? = nil) -> JobInput<Kind> {
        var events: [String: [AttemptEvent]] = [:]
        for pod in pods { if let name = pod.metadata.name { events[name] = scope.warnings(of: pod) } }
        let nodeLabels = caches.nodeLabels()
        let goneNodes = Set(pods.compactMap { $0.spec.nodeName }.filter { !$0.isEmpty && nodeLabels[$0] == nil })
        return JobInput(
            job: job, pods: pods, podEvents: events, nodeLabels: nodeLabels, goneNodes: goneNodes, graph: scope.graph(for: job),
            now: clock.now(), configuration: configuration.deciderConfiguration,
            creations: CreationRecord(
                failed: expectations.failedCreations(for: key), completed: expectations.completedCreations(for: key),
                refused: expectations.refusedCreations(for: key)),
            queueVerdict: queueVerdict)
    }
}

/// Drops the entries older than `keep` once `map` holds more than 4,096 and at least twice
/// what it held after its last pruning (amortized: not a pass over every entry at every
/// write when thousands are live). For the reconciler's and the executor's timed memories.
func pruneAged<Key: Hashable, Value>(_ map: inout [Key: Value], now: Date, keep: TimeInterval, at: (Value) -> Date) {
    guard map.count > 4096, map.count >= 2 * map.capacity / 3 else { return }
    map = map.filter { now.timeIntervalSince(at($0.value)) < keep }
    map.reserveCapacity(max(4096, map.count * 3))
}
