import Foundation
import KubeAPI
import SlipwayAPI

/// Everything ``BatchJobDecider/decide(_:)`` reads: the job, what the controller observed
/// in its caches, and the time. The controller gathers it; `decide` never does IO and
/// never reads a clock, so the same input always yields the same ``Decision``.
public struct DecisionInput: Sendable {
    /// The job as the cache holds it (spec, metadata and the status last written).
    public var job: BatchJob
    /// Pods the job owns (owner UID index of the pod cache), finished ones included.
    public var pods: [Pod]
    /// Warning events of the job's pods, by pod name (de-duplicated with counts).
    public var podEvents: [String: [AttemptEvent]]
    /// Labels of the nodes the pods ran on, by node name (capacity type, zone, …).
    public var nodeLabels: [String: [String: String]]
    /// Nodes that no longer exist: a pod bound to one of them is Interrupted.
    public var goneNodes: Set<String>
    /// The jobs named in `spec.dependsOn`, by name; a name absent here is missing.
    public var dependencies: [String: DependencyState]
    /// Semantic problems the caller found (bad quantities, unknown fields, a missing
    /// parameter…); any makes the job Invalid with these messages.
    public var validationErrors: [String]
    /// The names of a `dependsOn` cycle that contains this job (empty: none).
    public var dependencyCycle: [String]
    /// The time of this reconcile, from the controller's injectable clock.
    public var now: Date
    public var configuration: DeciderConfiguration
    /// Pods whose last create request failed (not AlreadyExists) in this operator process:
    /// they are requested again at once, instead of after ``BatchJobDecider/createGrace``
    /// (which covers a create that may have worked but is not in the cache yet).
    public var failedCreates: Set<String> = []

    public init(
        job: BatchJob, pods: [Pod] = [], podEvents: [String: [AttemptEvent]] = [:],
        nodeLabels: [String: [String: String]] = [:], goneNodes: Set<String> = [],
        dependencies: [String: DependencyState] = [:], validationErrors: [String] = [],
        dependencyCycle: [String] = [], now: Date, configuration: DeciderConfiguration = DeciderConfiguration()
    ) {
        self.job = job
        self.pods = pods
        self.podEvents = podEvents
        self.nodeLabels = nodeLabels
        self.goneNodes = goneNodes
        self.dependencies = dependencies
        self.validationErrors = validationErrors
        self.dependencyCycle = dependencyCycle
        self.now = now
        self.configuration = configuration
    }
}

/// What a job this one depends on has reached, as the controller read it from its cache.
public struct DependencyState: Sendable, Hashable {
    /// The parent's progress, reduced to what dependencies need.
    public enum Phase: String, Sendable, Hashable {
        case succeeded = "Succeeded"
        case failed = "Failed"
        /// Created and not finished (pending, running, retrying or suspended).
        case running = "Running"
        /// Not (yet) in the namespace: the child waits for it.
        case missing = "Missing"
    }

    /// How far the parent got.
    public var phase: Phase
    /// The parent's succeeded indexes (NToN dependencies start index i after the parent's i).
    public var succeededIndexes: IndexRanges
    /// The parent's array size (NToN needs equal sizes).
    public var arraySize: Int

    public init(phase: Phase, succeededIndexes: IndexRanges = IndexRanges(), arraySize: Int = 1) {
        self.phase = phase
        self.succeededIndexes = succeededIndexes
        self.arraySize = arraySize
    }

    /// A parent that does not exist.
    public static let missing = DependencyState(phase: .missing)

    /// The state of a parent `BatchJob` read from its status.
    public init(_ parent: BatchJob) {
        let status = parent.status
        let phase: Phase = switch status.phase {
        case .succeeded: .succeeded
        case .failed: .failed
        default: .running
        }
        self.init(phase: phase, succeededIndexes: IndexRanges(parsing: status.succeededIndexes ?? "") ?? IndexRanges(),
                  arraySize: parent.spec.arraySize)
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
    /// Attempt records kept per index in `status.history` (newest kept).
    public var historyPerIndex: Int
    /// Attempt records kept in total.
    public var historyTotal: Int
    /// Distinct warning events kept per attempt record.
    public var eventsPerAttempt: Int
    /// Longest warning event message kept, in UTF-8 bytes.
    public var eventMessageLimit: Int
    /// Pods requested by one decision at most; the rest follow on the next reconcile (one
    /// second later), so a 100,000-index array never becomes one giant burst.
    public var maxCreatesPerDecision: Int
    /// Counted attempts per index of a job that leaves `retryStrategy.attempts` unset
    /// (the operator's `--default-attempts`).
    public var defaultAttempts: Int

    public init(
        capacityLabelKey: String = "karpenter.sh/capacity-type", spotValue: String = "spot", onDemandValue: String = "on-demand",
        historyPerIndex: Int = 3, historyTotal: Int = 50, eventsPerAttempt: Int = 5, eventMessageLimit: Int = 256,
        maxCreatesPerDecision: Int = 500, defaultAttempts: Int = BatchJobDefaults.attempts
    ) {
        self.defaultAttempts = defaultAttempts
        self.capacityLabelKey = capacityLabelKey
        self.spotValue = spotValue
        self.onDemandValue = onDemandValue
        self.historyPerIndex = historyPerIndex
        self.historyTotal = historyTotal
        self.eventsPerAttempt = eventsPerAttempt
        self.eventMessageLimit = eventMessageLimit
        self.maxCreatesPerDecision = maxCreatesPerDecision
    }

    /// The label triple ``PodRenderer`` pins capacity with.
    public var capacityLabel: (key: String, spot: String, onDemand: String) { (capacityLabelKey, spotValue, onDemandValue) }
    /// The same label as ``CapacityLabels`` (what ``Adapter`` and ``AttemptResources`` read).
    public var capacityLabels: CapacityLabels { CapacityLabels(key: capacityLabelKey, spot: spotValue, onDemand: onDemandValue) }
}
