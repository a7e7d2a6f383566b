import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// Runs JobSchedules: watches them and the jobs they own (BatchJobs and SparkJobs, in the
/// shared caches), and reconciles each schedule with the pure ``ScheduleDecider``: write the
/// status first (the cursor that makes every slot run once), then delete, then create the
/// runs (AlreadyExists is success: the name is the slot), then record events; look again at
/// the next slot.
final class ScheduleController: RunnableController, Reconciler {
    let client: KubernetesClient
    let caches: OperatorCaches
    let configuration: OperatorConfiguration
    let clock: any KubeClock
    let logger: Logger
    let queue: WorkQueue<ObjectKey>
    /// JobSchedules, per scope of the shared caches (key `""`: all namespaces).
    let schedules: [String: Informer<JobSchedule>]

    init(client: KubernetesClient, caches: OperatorCaches, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger) {
        self.client = client
        self.caches = caches
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        queue = WorkQueue(name: JobSchedule.resource.plural, clock: clock, metrics: configuration.metrics.workQueue)
        var schedules: [String: Informer<JobSchedule>] = [:]
        for scope in caches.scopes.keys {
            schedules[scope] = Informer(
                listerWatcher: ClientListerWatcher<JobSchedule>(client: client, namespace: scope.isEmpty ? nil : scope),
                clock: clock, transform: OperatorCaches.trim)
        }
        self.schedules = schedules
    }

    /// A schedule changed: reconcile it. A job it owns changed: reconcile its schedule.
    func connect() async {
        let queue = self.queue
        for informer in schedules.values {
            let enqueue: @Sendable (JobSchedule) async -> Void = { schedule in await queue.add(Store<JobSchedule>.key(for: schedule)) }
            await informer.addEventHandler(InformerEventHandler(onAdd: enqueue, onUpdate: { _, schedule in await enqueue(schedule) }, onDelete: enqueue))
        }
        for scope in caches.scopes.values {
            await scope.caches(for: BatchJob.self)?.jobs.addEventHandler(Self.ownerHandler(queue))
            await scope.caches(for: SparkJob.self)?.jobs.addEventHandler(Self.ownerHandler(queue))
        }
    }

    static func ownerHandler<Job: KubeObject>(_ queue: WorkQueue<ObjectKey>) -> InformerEventHandler<Job> {
        let byOwner: @Sendable (Job) async -> Void = { job in
            guard let owner = job.metadata.controllerReference, owner.kind == JobSchedule.resource.kind else { return }
            await queue.add(ObjectKey(namespace: job.metadata.namespace, name: owner.name))
        }
        return InformerEventHandler(onAdd: byOwner, onUpdate: { _, job in await byOwner(job) }, onDelete: byOwner)
    }

    func run() async {
        let name = "jobschedule"
        configuration.metrics.registerController(name, queue: queue.name)
        await withDiscardingTaskGroup { group in
            for informer in schedules.values { group.addTask { await informer.run() } }
            group.addTask {
                for informer in self.schedules.values { guard await informer.waitForSync() else { return } }
                guard await self.caches.waitForSync() else { return }
                self.logger.info("caches synced; reconciling JobSchedules")
                await Controller(name: name, queue: self.queue, reconciler: self, workers: max(1, self.configuration.workers), logger: self.logger).run()
            }
        }
    }

    // MARK: - Reconcile

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let informer = schedules[key.namespace ?? ""] ?? schedules[""], let schedule = informer.store.get(key),
              let scope = caches.scope(key.namespace) else { return .done }
        let now = clock.now()
        let decision = ScheduleDecider.decide(ScheduleInput(schedule: schedule, runs: runs(of: schedule, in: scope), now: now))
        if decision.status != schedule.status {
            var updated = schedule
            updated.status = decision.status
            do {
                _ = try await client.updateStatus(updated)
            } catch let error as KubeError where error.isConflict || error.isNotFound {
                return .requeueRateLimited
            }
        }
        for name in decision.delete {
            try await deleteRun(name, of: schedule)
        }
        for object in decision.create {
            try await createRun(DynamicObject(object: object), of: schedule)
        }
        for event in decision.events {
            caches.recorder.record(schedule, type: event.warning ? .warning : .normal, reason: event.reason.rawValue, message: event.message)
        }
        guard let next = decision.requeueAt else { return .done }
        let seconds = max(0.05, next.timeIntervalSince(clock.now()))
        return .requeue(after: .milliseconds(Int64(seconds * 1000)))
    }

    /// The jobs of both kinds this schedule controls, as the decider sees them.
    func runs(of schedule: JobSchedule, in scope: OperatorCaches.Scope) -> [ObservedRun] {
        let namespace = schedule.metadata.namespace ?? ""
        let uid = schedule.metadata.uid
        func owned<Job: KubeObject>(_ jobs: [Job], phase: (Job) -> JobPhase?) -> [ObservedRun] {
            jobs.map { job in
                let outcome: ObservedRun.Outcome? = switch phase(job) {
                case .succeeded: .succeeded
                case .failed: .failed
                default: nil
                }
                let scheduled = job.metadata.annotations[JobSchedule.scheduledTimeAnnotation].flatMap { ISO8601DateFormatter().date(from: $0) }
                return ObservedRun(
                    name: job.metadata.name ?? "", scheduledTime: scheduled, outcome: outcome, deleting: job.metadata.isBeingDeleted,
                    backfill: job.metadata.labels[JobSchedule.backfillLabel])
            }
        }
        // Its runs by their controller's uid (an index: the jobs are kept compact, decoded on read, and a
        // namespace may hold thousands), in its namespace.
        func controlled<Job: KubeObject>(_ store: Store<Job>?) -> [Job] {
            guard let uid, !uid.isEmpty else { return [] }
            return (store?.byIndex(.controllerUID, value: uid) ?? []).filter { $0.metadata.namespace == namespace }
        }
        let batch = controlled(scope.caches(for: BatchJob.self)?.jobs.store)
        let spark = controlled(scope.caches(for: SparkJob.self)?.jobs.store)
        return owned(batch, phase: \.status.phase) + owned(spark, phase: \.status.phase)
    }

    /// Creates a run; one that exists already is the same slot's (its name says so).
    func createRun(_ run: DynamicObject, of schedule: JobSchedule) async throws {
        let resource = run.kind == SparkJob.resource.kind ? SparkJob.resource : BatchJob.resource
        do {
            _ = try await client.create(resource, run)
        } catch let error as KubeError where error.isAlreadyExists || error.isNotFound {
            return
        } catch let error as KubeError where error.isInvalid {
            // An invalid job spec: say so on the schedule rather than retry for ever (the
            // record stays Creating, so a fixed template creates it at the next reconcile).
            caches.recorder.warning(schedule, reason: "RunInvalid", message: "creating \(run.metadata.name ?? ""): \(error)")
        }
    }

    /// Deletes a run in the background (its pods follow through their owner references).
    func deleteRun(_ name: String, of schedule: JobSchedule) async throws {
        let namespace = schedule.metadata.namespace
        for resource in [BatchJob.resource, SparkJob.resource] {
            do {
                _ = try await client.delete(resource, name: name, namespace: namespace, options: DeleteOptions(propagationPolicy: .background))
                return
            } catch let error as KubeError where error.isNotFound {
                continue
            }
        }
    }
}
