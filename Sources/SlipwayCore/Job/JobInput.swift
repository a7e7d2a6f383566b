import Foundation
import KubeAPI
import SlipwayAPI

/// Everything ``JobDecider/decide(_:)`` reads: the job, what the controller observed in its
/// caches, and the time. The controller gathers it; `decide` never does IO and never reads
/// a clock, so the same input always yields the same ``JobDecision``.
public struct JobInput<Kind: JobKind>: Sendable {
    /// The job as the cache holds it (spec, metadata and the status last written).
    public var job: Kind
    /// The job's pods as the controller found them (``JobKind`` says which: a BatchJob's
    /// by owner, a SparkJob's drivers by owner and executors by Spark's labels), finished
    /// ones included.
    public var pods: [Pod]
    /// Warning events of the pods, by pod name (de-duplicated with counts).
    public var podEvents: [String: [AttemptEvent]]
    /// Labels of the nodes the pods ran on, by node name (capacity type, zone, …).
    public var nodeLabels: [String: [String: String]]
    /// Nodes that no longer exist: a pod bound to one of them is Interrupted.
    public var goneNodes: Set<String>
    /// The jobs reachable through `spec.dependsOn`, across kinds (a parent absent here does
    /// not exist): what they reached, and the cycle the job may sit on.
    public var graph: JobGraph
    /// The time of this reconcile, from the controller's injectable clock.
    public var now: Date
    public var configuration: DeciderConfiguration
    /// What this operator process knows of its own creates (``CreationRecord``).
    public var creations: CreationRecord
    /// The job's queue's verdict, when the job names a queue and the operator has one for it
    /// (docs/queues.md): a reason to wait or a turn-away goes into the `Admitted` condition;
    /// an admission (which the operator checked, under the queue's lock, against the
    /// admissions recorded on the queue's jobs) is recorded in the same status write that
    /// launches the attempts it admits.
    public var queueVerdict: QueueVerdict?

    public init(
        job: Kind, pods: [Pod] = [], podEvents: [String: [AttemptEvent]] = [:], nodeLabels: [String: [String: String]] = [:],
        goneNodes: Set<String> = [], graph: JobGraph = JobGraph(), now: Date, configuration: DeciderConfiguration = DeciderConfiguration(),
        creations: CreationRecord = CreationRecord(), queueVerdict: QueueVerdict? = nil
    ) {
        self.queueVerdict = queueVerdict
        self.job = job
        self.pods = pods
        self.podEvents = podEvents
        self.nodeLabels = nodeLabels
        self.goneNodes = goneNodes
        self.graph = graph
        self.now = now
        self.configuration = configuration
        self.creations = creations
    }
}

/// What this operator process saw of the attempts it created, by pod name (the
/// ``Expectations`` of the runtime keep it): a create that failed is requested again at
/// once instead of after ``JobDecider/createGrace`` (which covers a create that may have
/// worked but is not in the cache yet); an attempt whose pod owns other objects and whose
/// whole creation was not seen to complete (an API error or a restart after the pod was
/// created) is created again, which adopts the pod and applies what it owns. A create the
/// API server refused for good (Invalid, BadRequest, Forbidden other than a terminating
/// namespace: asking again cannot change the answer) fails the job, quoting the server.
public struct CreationRecord: Sendable, Hashable {
    /// Pods whose last create request failed (not AlreadyExists).
    public var failed: Set<String>
    /// Pods whose whole creation (the pod and the objects it owns) succeeded.
    public var completed: Set<String>
    /// Pods whose creation the API server refused for good, with its answer in words
    /// (`422 Invalid: Pod "etl-0-0" is invalid: …`).
    public var refused: [String: String]

    public init(failed: Set<String> = [], completed: Set<String> = [], refused: [String: String] = [:]) {
        self.failed = failed
        self.completed = completed
        self.refused = refused
    }
}

/// Operator-wide settings the decision depends on.
public struct DeciderConfiguration: Sendable, Hashable {
    /// The node label that tells spot from on-demand capacity.
    public var capacityLabelKey: String
    /// The label's value on spot nodes.
    public var spotValue: String
    /// The label's value on on-demand nodes.
    public var onDemandValue: String
    /// Attempt records kept per index of a BatchJob in `status.history` (newest kept).
    public var historyPerIndex: Int
    /// Attempt records kept in total by a BatchJob.
    public var historyTotal: Int
    /// Distinct warning events kept per attempt record.
    public var eventsPerAttempt: Int
    /// Longest warning event message kept, in UTF-8 bytes.
    public var eventMessageLimit: Int
    /// Pods requested by one decision at most; the rest follow on the next reconcile (one
    /// second later), so a 100,000-index array never becomes one giant burst.
    public var maxCreatesPerDecision: Int
    /// Counted attempts of a job that leaves `retryStrategy.attempts` unset (`--default-attempts`).
    public var defaultAttempts: Int
    /// The most counted attempts a job may ask for (`--max-attempts`); more makes it Invalid.
    public var maxAttempts: Int?
    /// What jobs' pods may ask for (the operator's `--allow-…` flags).
    public var podPolicy: PodPolicy
    /// How long a pod may wait on a container that cannot start (image pull, configuration
    /// errors) before it is a StartFailure, when its job does not say (`--start-failure-seconds`).
    public var startFailureTimeout: Duration
    /// How long a pod may stay unschedulable before it is Unschedulable, when its job does
    /// not say (`--unschedulable-seconds`): long enough for an autoscaler to bring a node.
    public var unschedulableTimeout: Duration
    /// How long after a SparkJob's driver runs its minimum executors must run, when the job
    /// does not say (`--executor-start-seconds`).
    public var executorStartTimeout: Duration
    /// `spark.master` as drivers reach the API server (in a cluster: `k8s://https://kubernetes.default.svc`).
    public var sparkMaster: String
    /// Whether SparkJobs that do not say are analysed, and the analysis sidecar's image
    /// (`--analysis`, `--analysis-image`; docs/analysis.md).
    public var analysis = SparkAnalysisDefaults()
    /// Where the web view proxies drivers' Spark UIs (`/spark`), when it runs: each driver
    /// gets `spark.ui.proxyBase=<this>/<namespace>/<job>` unless its sparkConf sets one, so
    /// that the UI's links work through the proxy (docs/web.md). Nil: no proxy, no key.
    public var sparkUIProxyRoot: String?

    /// 5 minutes: the kubelet's image pull back-off reaches its 5-minute cap, so a registry
    /// hiccup has had several pulls to recover; a wrong name or missing secret has not.
    public static let defaultStartFailureTimeout = Duration.seconds(300)
    /// 10 minutes: twice the p99 of node provisioning (~5 minutes, Flotilla report), so a
    /// cluster autoscaler or Karpenter can bring a node before the pod is given up on.
    public static let defaultUnschedulableTimeout = Duration.seconds(600)
    /// 10 minutes, as for a pod that cannot be scheduled: executors wait for nodes too.
    public static let defaultExecutorStartTimeout = Duration.seconds(600)

    /// The start timeouts of a job that does not set its own.
    public var startTimeouts: StartTimeouts { StartTimeouts(startFailure: startFailureTimeout, unschedulable: unschedulableTimeout) }

    /// `spark.master` inside a cluster.
    public static let inClusterSparkMaster = "k8s://https://kubernetes.default.svc"

    public init(
        capacityLabelKey: String = "karpenter.sh/capacity-type", spotValue: String = "spot", onDemandValue: String = "on-demand",
        historyPerIndex: Int = 3, historyTotal: Int = 50, eventsPerAttempt: Int = 5, eventMessageLimit: Int = 256,
        maxCreatesPerDecision: Int = 500, defaultAttempts: Int = RetryStrategy.defaultAttempts, maxAttempts: Int? = nil,
        podPolicy: PodPolicy = .restricted, sparkMaster: String = DeciderConfiguration.inClusterSparkMaster,
        startFailureTimeout: Duration = DeciderConfiguration.defaultStartFailureTimeout,
        unschedulableTimeout: Duration = DeciderConfiguration.defaultUnschedulableTimeout,
        executorStartTimeout: Duration = DeciderConfiguration.defaultExecutorStartTimeout
    ) {
        self.startFailureTimeout = startFailureTimeout
        self.unschedulableTimeout = unschedulableTimeout
        self.executorStartTimeout = executorStartTimeout
        self.capacityLabelKey = capacityLabelKey
        self.spotValue = spotValue
        self.onDemandValue = onDemandValue
        self.historyPerIndex = historyPerIndex
        self.historyTotal = historyTotal
        self.eventsPerAttempt = eventsPerAttempt
        self.eventMessageLimit = eventMessageLimit
        self.maxCreatesPerDecision = maxCreatesPerDecision
        self.defaultAttempts = defaultAttempts
        self.maxAttempts = maxAttempts
        self.podPolicy = podPolicy
        self.sparkMaster = sparkMaster
    }

    /// The capacity label and its values (what adaptation, rendering and records read).
    public var capacityLabels: CapacityLabels { CapacityLabels(key: capacityLabelKey, spot: spotValue, onDemand: onDemandValue) }
}
