import Foundation
import KubeAPI
import SlipwayAPI

/// Everything ``SparkJobDecider/decide(_:)`` reads. The controller gathers it from its
/// caches; `decide` never does IO and never reads a clock.
public struct SparkDecisionInput: Sendable {
    public var job: SparkJob
    /// Driver pods the job owns (every attempt's), by owner UID.
    public var drivers: [Pod]
    /// Executor pods of the job's attempts (`spark-role=executor`, by `spark-app-selector`).
    public var executors: [Pod]
    /// Warning events of the driver and executor pods, by pod name.
    public var podEvents: [String: [AttemptEvent]]
    public var nodeLabels: [String: [String: String]]
    public var goneNodes: Set<String>
    public var dependencies: [String: DependencyState]
    public var validationErrors: [String]
    public var dependencyCycle: [String]
    public var now: Date
    public var configuration: DeciderConfiguration
    /// `spark.master` as the driver reaches the API server (in a cluster:
    /// `k8s://https://kubernetes.default.svc`).
    public var masterURL: String
    /// Driver pods whose create request failed (not AlreadyExists) in this operator process:
    /// submitted again at once instead of after ``SparkJobDecider/createGrace``.
    public var failedCreates: Set<String> = []
    /// Driver pods whose whole submission (pod, Service, ConfigMaps) this operator process
    /// saw succeed. Any other driver that still runs is submitted again, which adopts it and
    /// re-applies what it owns: a submission cut short (an API error or a restart after the
    /// pod was created) never leaves a driver without its ConfigMap.
    public var completeSubmissions: Set<String> = []

    public init(
        job: SparkJob, drivers: [Pod] = [], executors: [Pod] = [], podEvents: [String: [AttemptEvent]] = [:],
        nodeLabels: [String: [String: String]] = [:], goneNodes: Set<String> = [], dependencies: [String: DependencyState] = [:],
        validationErrors: [String] = [], dependencyCycle: [String] = [], now: Date,
        configuration: DeciderConfiguration = DeciderConfiguration(), masterURL: String = SparkDecisionInput.inClusterMaster
    ) {
        self.job = job
        self.drivers = drivers
        self.executors = executors
        self.podEvents = podEvents
        self.nodeLabels = nodeLabels
        self.goneNodes = goneNodes
        self.dependencies = dependencies
        self.validationErrors = validationErrors
        self.dependencyCycle = dependencyCycle
        self.now = now
        self.configuration = configuration
        self.masterURL = masterURL
    }

    public static let inClusterMaster = "k8s://https://kubernetes.default.svc"
}

/// What one reconcile of a SparkJob should do (the same actions as a BatchJob's).
public struct SparkDecision: Sendable, Hashable {
    public var status: SparkJobStatus?
    public var actions: [Decision.Action]
    public var requeueAfter: Duration?
    /// The attempts this decision recorded (for metrics; the status history has the details).
    public var recorded: [RecordedAttempt]

    public init(status: SparkJobStatus? = nil, actions: [Decision.Action] = [], requeueAfter: Duration? = nil, recorded: [RecordedAttempt] = []) {
        self.status = status
        self.actions = actions
        self.requeueAfter = requeueAfter
        self.recorded = recorded
    }
}

extension DependencyState {
    /// The state of a parent `SparkJob` (a single unit: no indexes).
    public init(_ parent: SparkJob) {
        let phase: Phase = switch parent.status.phase {
        case .succeeded: .succeeded
        case .failed: .failed
        default: .running
        }
        self.init(phase: phase, succeededIndexes: phase == .succeeded ? IndexRanges(0..<1) : IndexRanges(), arraySize: 1)
    }
}
