import Foundation
import KubeAPI
import KubeClient
import KubeRuntime
import Logging
import SlipwayAPI
import SlipwayCore

/// What a kind's controller needs besides its decisions (``JobKind``): which pods to watch
/// and how a pod leads back to its job. Everything else — caches, queue, reconcile,
/// expectations, status writes, metrics — is ``JobController``'s and ``JobReconciler``'s,
/// once for every kind.
public protocol ControlledJobKind: JobKind {
    /// The label selector of the pods this kind's pod cache holds.
    static var podSelector: String { get }
    /// The label naming the job on every pod it created (pods left behind by a deleted job
    /// are found by it).
    static var jobNameLabel: String { get }
    /// The indexes the kind's pod cache keeps (``observedPods(of:in:)`` reads them).
    static var podIndexes: [StoreIndex<Pod>] { get }
    /// The pods a decision about `job` reads, from the kind's pod cache.
    static func observedPods(of job: Self, in pods: Store<Pod>) -> [Pod]
    /// The name of the job of this kind that `pod` belongs to, if any.
    static func jobName(of pod: Pod, in pods: Store<Pod>) -> String?
    /// Reports to `metrics` what a written status newly says besides its recorded attempts
    /// (a SparkJob's analysis findings); nothing by default.
    static func reportWritten(from old: Status, to new: Status, metrics: SlipwayMetrics)
}

/// Every kind Slipway runs: the one list that adding a kind extends. The caches, the
/// controllers and the metrics are made from it.
public enum JobKinds {
    public static let all: [any ControlledJobKind.Type] = [BatchJob.self, SparkJob.self]
}

extension ControlledJobKind {
    /// The kind's caches in one scope (type-erased for the registry).
    static func makeCaches(client: KubernetesClient, namespace: String?, clock: any KubeClock) -> any KindCachesProtocol {
        KindCaches<Self>(client: client, namespace: namespace, clock: clock)
    }

    /// The kind's controller over `caches`.
    static func makeController(
        client: KubernetesClient, caches: OperatorCaches, configuration: OperatorConfiguration, clock: any KubeClock, logger: Logger
    ) -> any RunnableController {
        JobController<Self>(client: client, caches: caches, configuration: configuration, clock: clock, logger: logger)
    }

    public static func reportWritten(from old: Status, to new: Status, metrics: SlipwayMetrics) {}

    /// `batchjob`, `sparkjob`: the controller's name in logs and metrics.
    static var controllerName: String { resource.kind.lowercased() }
}

// MARK: - BatchJob

extension BatchJob: ControlledJobKind {
    public static var podSelector: String { SlipwayLabels.jobName }
    public static var jobNameLabel: String { SlipwayLabels.jobName }
    public static var podIndexes: [StoreIndex<Pod>] { [.controllerUID] }

    /// The pods it owns.
    public static func observedPods(of job: BatchJob, in pods: Store<Pod>) -> [Pod] {
        pods.byIndex(.controllerUID, value: job.metadata.uid ?? "")
    }

    /// Its controlling BatchJob (the label may be a shortened name), else the label.
    public static func jobName(of pod: Pod, in pods: Store<Pod>) -> String? {
        if let owner = pod.metadata.controllerReference, owner.kind == resource.kind { return owner.name }
        return pod.metadata.labels[SlipwayLabels.jobName]
    }
}

// MARK: - SparkJob

extension SparkJob: ControlledJobKind {
    /// The findings of a newly recorded analysis: `slipway_spark_findings_total{kind,severity}`
    /// and `slipway_spark_waste_core_seconds_total{kind}` (those status keeps, at most 10).
    public static func reportWritten(from old: SparkJobStatus, to new: SparkJobStatus, metrics: SlipwayMetrics) {
        guard let analysis = new.analysis, old.analysis?.attempt != analysis.attempt || old.analysis == nil else { return }
        for finding in analysis.findings {
            metrics.recordFinding(kind: finding.kind, severity: finding.severity, wasteCoreSeconds: finding.wasteCoreSeconds)
        }
    }

    /// Every Spark pod (`spark-role` set): drivers by owner, executors by Spark's app label.
    public static var podSelector: String { SparkLabels.role }
    public static var jobNameLabel: String { SparkLabels.jobName }
    static let podsByApp = StoreIndex<Pod>.label(SparkLabels.appSelector)
    public static var podIndexes: [StoreIndex<Pod>] { [.controllerUID, podsByApp] }

    /// The drivers it owns, and the executor candidates of each by Spark's labels (the
    /// decision keeps those owned by their driver pod).
    public static func observedPods(of job: SparkJob, in pods: Store<Pod>) -> [Pod] {
        let drivers = pods.byIndex(.controllerUID, value: job.metadata.uid ?? "")
        let executors = drivers.flatMap { driver in
            pods.byIndex(podsByApp, value: driver.metadata.labels[SparkLabels.appSelector] ?? "")
                .filter { $0.metadata.labels[SparkLabels.role] == SparkRole.executor.rawValue }
        }
        return drivers + executors
    }

    /// A driver's controlling SparkJob, or the SparkJob of an executor's driver (the label
    /// may be a shortened name, so owners come first).
    public static func jobName(of pod: Pod, in pods: Store<Pod>) -> String? {
        func owner(_ pod: Pod) -> String? {
            guard let owner = pod.metadata.controllerReference, owner.kind == resource.kind else { return nil }
            return owner.name
        }
        if let name = owner(pod) { return name }
        if let app = pod.metadata.labels[SparkLabels.appSelector],
            let name = pods.byIndex(podsByApp, value: app).lazy.compactMap(owner).first {
            return name
        }
        return pod.metadata.labels[SparkLabels.jobName]
    }
}
