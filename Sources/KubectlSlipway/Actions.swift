import ArgumentParser
import Foundation
import KubeAPI
import KubeClient
import SlipwayAPI
import SlipwayCore
import SlipwayPlugin

/// A merge patch of a job's spec, as `kubectl patch --type=merge` sends it.
extension KubernetesClient {
    func patchSpec(_ job: AnyJob, _ spec: JSONObject, namespace: String) async throws {
        let body: JSONValue = ["spec": .object(spec)]
        let name = job.metadata.name ?? ""
        switch job {
        case .batch: _ = try await patch(BatchJob.self, name: name, namespace: namespace, patch: body, patchType: .merge)
        case .spark: _ = try await patch(SparkJob.self, name: name, namespace: namespace, patch: body, patchType: .merge)
        }
    }
}

struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Retry a Failed job: only what failed runs again, with a fresh attempt budget and what it learned.",
        discussion: """
            Bumps spec.retryGeneration (docs/batchjob.md, "Retrying a failed job"). Jobs that failed because \
            a dependency failed follow their parent: retry the parent. With --all, every Failed job of the \
            namespace (-A: of every namespace) is retried.
            """)

    @Argument(help: "NAME, batchjob/NAME or sparkjob/NAME.") var job: String?
    @Flag(help: "Retry every Failed job in the namespace (with -A, in every namespace).") var all = false
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "With --all: every namespace.") var allNamespaces = false
    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if all == (job != nil) { throw ValidationError("give one JOB or --all") }
        if allNamespaces && !all { throw ValidationError("-A goes with --all") }
    }

    func run() async throws {
        try await cluster.withClient { client in
            let namespace = cluster.namespace(of: client)
            if let job {
                let found = try await client.job(try JobTarget(parsing: job), namespace: namespace)
                try Self.check(found)
                try await Self.retry(found, client: client)
                return
            }
            let scope = allNamespaces ? nil : namespace
            let jobs = try await client.listAll(BatchJob.self, namespace: scope).items.map(AnyJob.batch)
                + client.listAll(SparkJob.self, namespace: scope).items.map(AnyJob.spark)
            let failed = jobs.filter { $0.phase == .failed }
            if failed.isEmpty { print("No Failed jobs in \(scope.map { "namespace \($0)" } ?? "any namespace").") }
            for found in failed {
                if Self.followsParent(found) {
                    print("\(Self.name(found)) skipped: it failed because a dependency failed and follows it")
                    continue
                }
                try await Self.retry(found, client: client)
            }
        }
    }

    static func name(_ job: AnyJob) -> String {
        "\(job.reference)" + (job.metadata.namespace.map { " (namespace \($0))" } ?? "")
    }

    static func followsParent(_ job: AnyJob) -> Bool {
        job.conditions[.failed]?.reason == JobConditionReason.dependencyFailed.rawValue
    }

    /// Only a Failed job that did not fail through its parent can be retried.
    static func check(_ job: AnyJob) throws {
        guard job.phase == .failed else {
            throw PluginError("\(job.reference) is \(job.phase?.rawValue ?? "Pending"), not Failed; only a Failed job can be retried")
        }
        if followsParent(job) {
            let why = job.conditions[.failed]?.message ?? "a dependency failed"
            throw PluginError("\(job.reference) did not run: \(why); retry the dependency that failed, and this job follows")
        }
    }

    static func retry(_ job: AnyJob, client: KubernetesClient) async throws {
        let generation = job.nextRetryGeneration
        try await client.patchSpec(job, ["retryGeneration": .number(JSONNumber(generation))], namespace: job.metadata.namespace ?? client.defaultNamespace)
        let what: String
        switch job {
        case .batch(let j): what = "failed indexes \(j.status.failedIndexes ?? "") run again"
        case .spark: what = "a new attempt starts with what it learned"
        }
        print("\(job.reference) retried (retryGeneration \(generation)): \(what)")
    }
}

struct Suspend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Suspend a job: its running pods stop and nothing new starts until resume.")

    @Argument(help: "NAME, batchjob/NAME or sparkjob/NAME.") var job: String
    @OptionGroup var cluster: ClusterOptions

    func run() async throws { try await setSuspend(true, job: job, cluster: cluster) }
}

struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Resume a suspended job.")

    @Argument(help: "NAME, batchjob/NAME or sparkjob/NAME.") var job: String
    @OptionGroup var cluster: ClusterOptions

    func run() async throws { try await setSuspend(false, job: job, cluster: cluster) }
}

/// Sets `spec.suspend` of a job that has not finished.
func setSuspend(_ suspend: Bool, job: String, cluster: ClusterOptions) async throws {
    let target = try JobTarget(parsing: job)
    try await cluster.withClient { client in
        let namespace = cluster.namespace(of: client)
        let found = try await client.job(target, namespace: namespace)
        if let phase = found.phase, [.succeeded, .failed, .skipped].contains(phase) {
            throw PluginError("\(found.reference) has finished (\(phase.rawValue)); there is nothing to \(suspend ? "suspend" : "resume")")
        }
        try await client.patchSpec(found, ["suspend": .bool(suspend)], namespace: namespace)
        print("\(found.reference) \(suspend ? "suspended" : "resumed")")
    }
}

struct Trigger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a JobSchedule now: one run, with the schedule-time parameters of this moment (its slipway.dev/trigger annotation).")

    @Argument(help: "The JobSchedule's name.") var schedule: String
    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        try await cluster.withClient { client in
            let namespace = cluster.namespace(of: client)
            do {
                _ = try await client.get(JobSchedule.self, name: schedule, namespace: namespace)
            } catch KubeError.notFound {
                throw PluginError("no JobSchedule named \(schedule) in namespace \(namespace); list them with kubectl get jobschedules -n \(namespace)")
            }
            // Any new value asks for one run: milliseconds keep two triggers in a second apart.
            let value = String(Int64(Date().timeIntervalSince1970 * 1000))
            let body: JSONValue = ["metadata": ["annotations": .object([JobSchedule.triggerAnnotation: .string(value)])]]
            _ = try await client.patch(JobSchedule.self, name: schedule, namespace: namespace, patch: body, patchType: .merge)
            print("jobschedule/\(schedule) triggered; its run carries the label \(JobSchedule.scheduleLabel)=\(schedule)")
        }
    }
}

struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Each JobQueue's usage against its limits, and the jobs waiting in it in admission order.")

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Waiting jobs of every namespace (the default: queues are cluster-wide).")
    var allNamespaces = false
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await cluster.withClient { client in
            // Queues serve every namespace: -n narrows the waiting jobs to one only when given.
            let scope = allNamespaces ? nil : cluster.namespace
            let queues = try await client.listAll(JobQueue.self).items
            var waiting: [(queue: String, job: QueueListing.Waiting)] = []
            for job in try await client.listAll(BatchJob.self, namespace: scope).items where QueueListing.isWaiting(job.status) {
                if let entry = Self.entry(job, status: job.status) { waiting.append(entry) }
            }
            for job in try await client.listAll(SparkJob.self, namespace: scope).items where QueueListing.isWaiting(job.status) {
                if let entry = Self.entry(job, status: job.status) { waiting.append(entry) }
            }
            let listing = QueueListing(queues: queues, jobs: waiting)
            if try output.print(listing.json) { return }
            print(listing.render(style: outputStyle, now: Date()), terminator: "")
        }
    }

    static func entry<Job: KubeObject, S: JobStatusFields>(_ job: Job, status: S) -> (queue: String, job: QueueListing.Waiting)? {
        guard let queue = job.queueName else { return nil }
        let admitted = status.conditions[.admitted]
        return (queue, QueueListing.Waiting(
            reference: JobReference(job), priority: job.queuePriority, created: job.metadata.creationTimestamp ?? Date(),
            message: admitted?.message ?? "not yet seen by the queue"))
    }
}
