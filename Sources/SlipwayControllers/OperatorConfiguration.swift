import Foundation
import SlipwayAPI
import SlipwayCore

/// Settings of the operator process (flags and environment of `slipway operator`, see
/// ``OperatorSettings``), and where its controllers report (metrics, readiness).
public struct OperatorConfiguration: Sendable {
    /// Namespaces to watch; empty means all.
    public var namespaces: [String]
    /// Reconciles running at once.
    public var workers: Int
    /// The node label that says spot or on-demand, and its two values.
    public var capacityLabel: String
    public var spotValue: String
    public var onDemandValue: String
    /// Identity in events and leases (the pod name in a cluster).
    public var instance: String
    /// `spark.master` written into SparkJobs' spark.properties: how drivers reach the API server.
    public var sparkMaster: String
    /// What jobs' pods may ask for (privileged, hostPath, host namespaces); refused by default.
    public var podPolicy: PodPolicy
    /// Counted attempts of a job that leaves `retryStrategy.attempts` unset.
    public var defaultAttempts: Int
    /// The most counted attempts a job may ask for; more makes it Invalid.
    public var maxAttempts: Int
    /// How long a container may fail to start before the attempt is a StartFailure, for a
    /// job without a start timeout of its own.
    public var startFailureTimeout: Duration
    /// How long a pod may stay unschedulable before the attempt is Unschedulable, for a job
    /// without a start timeout of its own.
    public var unschedulableTimeout: Duration
    /// How long after a SparkJob's driver runs its minimum executors must run, for a job
    /// without `timeouts.executorStartSeconds`.
    public var executorStartTimeout: Duration
    /// Where the controllers report metrics (nowhere by default).
    public var metrics: SlipwayMetrics
    /// Where the controllers report whether their caches have synced (for `/readyz`).
    public var health: OperatorHealth
    /// How long a status write that changes only progress (a pod went from Pending to
    /// Running) may wait to be folded into the next one (``JobDecision/statusCanWait``),
    /// counted from the job's last status write or its creation; zero writes every change
    /// at once. One second, as the Kubernetes Job controller batches its syncs
    /// (`syncJobBatchPeriod`): a short pod then costs one status write instead of three.
    public var statusBatchWindow: Duration = .seconds(1)
    /// The job-event sink (`--event-sink`): with one, status writes keep `status.transitions`
    /// and the sink sends them (docs/events.md).
    public var eventSink: JobEventSink?
    /// SparkJob analysis: on by default or not, the sidecar's image (`--analysis`, `--analysis-image`).
    public var analysis = SparkAnalysisDefaults()
    /// The web view's window on the caches (`--web-address`, docs/web.md): with one, the
    /// controllers attach their caches to it and also cache their jobs' events.
    public var web: JobViewSource?

    public init(
        namespaces: [String] = [], workers: Int = 16, capacityLabel: String = "karpenter.sh/capacity-type", spotValue: String = "spot",
        onDemandValue: String = "on-demand", instance: String = ProcessInfo.processInfo.hostName, podPolicy: PodPolicy = .restricted,
        defaultAttempts: Int = RetryStrategy.defaultAttempts, maxAttempts: Int = RetryStrategy.defaultMaxAttempts,
        startFailureTimeout: Duration = DeciderConfiguration.defaultStartFailureTimeout,
        unschedulableTimeout: Duration = DeciderConfiguration.defaultUnschedulableTimeout,
        executorStartTimeout: Duration = DeciderConfiguration.defaultExecutorStartTimeout,
        metrics: SlipwayMetrics = .disabled, health: OperatorHealth = OperatorHealth(),
        sparkMaster: String = DeciderConfiguration.inClusterSparkMaster
    ) {
        self.sparkMaster = sparkMaster
        self.namespaces = namespaces
        self.workers = workers
        self.capacityLabel = capacityLabel
        self.spotValue = spotValue
        self.onDemandValue = onDemandValue
        self.instance = instance
        self.podPolicy = podPolicy
        self.defaultAttempts = defaultAttempts
        self.maxAttempts = maxAttempts
        self.startFailureTimeout = startFailureTimeout
        self.unschedulableTimeout = unschedulableTimeout
        self.executorStartTimeout = executorStartTimeout
        self.metrics = metrics
        self.health = health
    }

    /// The decider's operator-wide settings.
    public var deciderConfiguration: DeciderConfiguration {
        var configuration = DeciderConfiguration(
            capacityLabelKey: capacityLabel, spotValue: spotValue, onDemandValue: onDemandValue, defaultAttempts: defaultAttempts,
            maxAttempts: maxAttempts, podPolicy: podPolicy, sparkMaster: sparkMaster, startFailureTimeout: startFailureTimeout,
            unschedulableTimeout: unschedulableTimeout, executorStartTimeout: executorStartTimeout)
        configuration.analysis = analysis
        configuration.sparkUIProxyRoot = web == nil ? nil : "/spark"
        return configuration
    }
}
