import Foundation
import KubeAPI
import SlipwayAPI

/// A kind of job Slipway runs, saying only what differs between kinds; ``JobDecider``
/// does the rest, once, for every kind (docs/architecture.md, "The JobKind design").
///
/// A job is made of *units* that each run a chain of *attempts*: a BatchJob's units are its
/// array indexes (one pod per attempt), a SparkJob has one unit, its application (a driver
/// pod per attempt, the executors it starts). What a kind says:
///
/// | concern | a kind says | BatchJob | SparkJob |
/// |---|---|---|---|
/// | spec | ``settings(_:)``, ``violations(_:)``, ``renderProblems(in:)`` | arraySize, parallelism, timeouts.startSeconds | one unit, driverStartSeconds |
/// | units | ``units(of:size:)``, ``store(_:into:)`` | compact index sets and grouped `indexStates` | `status.current` |
/// | observing | ``attempts(in:)``, ``outcome(of:in:)`` | a pod per index and attempt | the driver and its executors; the decisive failure; executor start timeout |
/// | creating | ``render(unit:attempt:state:in:)``, ``startedEvent(_:unit:attempt:state:in:)`` | the index's pod | driver, Service, ConfigMap |
/// | adapting | ``adapt(after:of:state:in:)`` | memory, cpu, capacity of the main container | driver and executor memory, executors, capacity |
/// | recording | ``record(_:outcome:in:)``, ``historyLimits(_:)`` | pod, memory, cpu, capacity | driver, Spark settings, executor failures |
/// | status | ``finishStatus(_:)`` | counts, progress, `Started` | driver, executors, `Submitted`, `Running` |
///
/// The decider owns everything else: invalid specs, suspend and resume, dependencies and
/// cycles, start and total timeouts, classification → rules → adaptation → backoff →
/// retry, attempt records and bounded history, conditions, phase, events and TTL.
public protocol JobKind: KubeObject, Sendable where Status: Sendable {
    /// The kind's status: the common fields and its own.
    associatedtype Status: JobStatusFields
    /// The retry bookkeeping of one unit, with what its attempts learned.
    associatedtype UnitState: AttemptStateFields
    /// What a kind learns about a finished attempt besides its classification (nothing for
    /// a BatchJob; the deciding role and the failed executors for a SparkJob).
    associatedtype OutcomeDetail: Sendable

    /// The phases a job of this kind reaches (its schema enumerates them; metrics report each).
    static var phases: [JobPhase] { get }
    /// Whether an attempt's pod owns other objects (applied after it), so that a creation
    /// cut short must be completed.
    static var attemptsOwnObjects: Bool { get }
    /// The kind's own status keys that only describe what the pods show now (counts of
    /// pending and running pods, the driver's state): the next decision derives them again
    /// from the same pods, so a change to them alone may wait for the next status write
    /// (``JobDecision/statusCanWait``). A key inside an object is written `outer.inner`.
    static var progressStatusKeys: Set<String> { get }

    var status: Status { get set }

    // MARK: Spec

    /// What the decider needs of the spec, with the operator's defaults applied.
    func settings(_ configuration: DeciderConfiguration) -> JobSettings
    /// Every problem with the spec that its schema cannot catch; any makes the job Invalid.
    func violations(_ configuration: DeciderConfiguration) -> [FieldViolation]
    /// Problems only rendering an attempt finds (a missing parameter, what spark-submit refuses).
    static func renderProblems(in run: JobRun<Self>) -> [String]
    /// This job as a node of the dependency graph: how far it got and what it waits for.
    var graphNode: JobGraphNode { get }

    // MARK: Units

    /// The units' states as `status` records them.
    static func units(of status: Status, size: Int) -> UnitTable<UnitState>
    /// Writes the units' states back into `status`.
    static func store(_ units: UnitTable<UnitState>, into status: inout Status)

    // MARK: Observing

    /// The attempts whose pods the controller observed.
    static func attempts(in input: JobInput<Self>) -> [ObservedAttempt]
    /// How an unrecorded attempt ended; nil while it runs (the kind may note wake-ups and
    /// unit state, e.g. when a driver was first seen running).
    static func outcome(of attempt: ObservedAttempt, in run: inout JobRun<Self>) -> AttemptOutcome<OutcomeDetail>?

    // MARK: Creating

    /// The name of the pod of `attempt` of `unit` (deterministic: a repeated create meets it).
    func podName(unit: Int, attempt: Int) -> String
    /// What `attempt` of `unit` creates, with the unit's learned state.
    static func render(unit: Int, attempt: Int, state: UnitState, in run: JobRun<Self>) throws(AttemptRenderError) -> AttemptObjects
    /// The event announcing a new attempt.
    static func startedEvent(_ objects: AttemptObjects, unit: Int, attempt: Int, state: UnitState, in run: JobRun<Self>)
        -> (reason: JobEventReason, message: String)

    // MARK: Adapting and recording

    /// The unit's state with what the next attempt should run with after `outcome`, and why.
    static func adapt(after outcome: AttemptOutcome<OutcomeDetail>, of attempt: ObservedAttempt, state: UnitState, in run: JobRun<Self>)
        -> UnitAdaptation<UnitState>
    /// The history record of a finished attempt (`outcome` nil: stopped by a suspend).
    static func record(_ attempt: ObservedAttempt, outcome: AttemptOutcome<OutcomeDetail>?, in run: JobRun<Self>) -> Status.Record
    /// How many records `status.history` keeps.
    static func historyLimits(_ configuration: DeciderConfiguration) -> HistoryLimits

    // MARK: Words

    /// `Pod etl-0-0 (index 0 attempt 0) failed: OutOfMemory: …`: a failed attempt in an event.
    static func describeFailure(of attempt: ObservedAttempt, _ outcome: AttemptOutcome<OutcomeDetail>) -> String
    /// `index 3` for events about one unit; nil when the job has one unit.
    static func unitLabel(_ unit: Int) -> String?
    /// `the index fails` / `the job fails`.
    static var unitFailsPhrase: String { get }
    /// The last failure in a few words, for messages (`OutOfMemory (memory 512Mi → 1Gi …)`).
    static func lastFailure(_ outcome: AttemptOutcome<OutcomeDetail>, changes: [String]) -> String
    /// The event message when a suspend stopped the job's pods.
    static var suspendedEventMessage: String { get }
    /// Why the job succeeded, once every unit did.
    static func succeeded(in run: JobRun<Self>) -> (reason: JobConditionReason, message: String)
    /// Why the job failed, once every unit ended and some failed.
    static func failed(in run: JobRun<Self>) -> (reason: JobConditionReason, message: String)

    // MARK: Status

    /// Fills in the kind's status fields, its own conditions, the phase and the message.
    static func finishStatus(_ run: inout JobRun<Self>)
}

/// What the decider needs of a job's spec, with the operator's defaults applied.
public struct JobSettings: Sendable, Hashable {
    /// Units of the job (a BatchJob's `arraySize`; 1 for a SparkJob).
    public var units: Int
    /// Units running at once.
    public var parallelism: Int
    public var dependsOn: [Dependency]
    public var retryStrategy: RetryStrategy
    /// Counted attempts per unit (`retryStrategy.attempts`, else the operator's default).
    public var attempts: Int
    public var suspend: Bool
    /// `spec.retryGeneration`: bumped beyond `status.retryGeneration`, a Failed job runs again.
    public var retryGeneration: Int = 0
    public var ttlSecondsAfterFinished: Int?
    /// How long an attempt's pod may wait to start before its failure to start is
    /// classified (the spec's start timeout, else the operator's defaults).
    public var startTimeouts: StartTimeouts
    /// How long the whole job may take.
    public var totalSeconds: Int?

    public init(
        units: Int, parallelism: Int, dependsOn: [Dependency], retryStrategy: RetryStrategy, attempts: Int, suspend: Bool,
        ttlSecondsAfterFinished: Int?, startTimeouts: StartTimeouts, totalSeconds: Int?
    ) {
        self.units = units
        self.parallelism = parallelism
        self.dependsOn = dependsOn
        self.retryStrategy = retryStrategy
        self.attempts = attempts
        self.suspend = suspend
        self.ttlSecondsAfterFinished = ttlSecondsAfterFinished
        self.startTimeouts = startTimeouts
        self.totalSeconds = totalSeconds
    }
}

/// How long an attempt's pod may wait to start, by why it waits. Every wait has a bound:
/// a job that says nothing gets the operator's defaults (`--start-failure-seconds`,
/// `--unschedulable-seconds`); a job's own start timeout (`timeouts.startSeconds`,
/// `timeouts.driverStartSeconds`) sets both.
public struct StartTimeouts: Sendable, Hashable {
    /// A container that cannot start (image pull, configuration errors) is a StartFailure past this.
    public var startFailure: Duration
    /// A pod the scheduler cannot place is Unschedulable past this (long enough for an
    /// autoscaler to bring a node).
    public var unschedulable: Duration

    public init(startFailure: Duration, unschedulable: Duration) {
        self.startFailure = startFailure
        self.unschedulable = unschedulable
    }

    /// The job's own start timeout in seconds for both, else the operator's defaults.
    public static func from(seconds: Int?, defaults configuration: DeciderConfiguration) -> StartTimeouts {
        guard let seconds else { return configuration.startTimeouts }
        return StartTimeouts(startFailure: .seconds(seconds), unschedulable: .seconds(seconds))
    }
}

/// One attempt as the controller observed it: its unit, number and pod, and the pods that
/// belong to it (a SparkJob driver's executors).
public struct ObservedAttempt: Sendable {
    public var unit: Int
    public var attempt: Int
    /// The attempt's own pod (a BatchJob's index pod, a SparkJob's driver).
    public var pod: Pod
    /// Pods the attempt's pod started (executors); empty for a BatchJob.
    public var related: [Pod]

    public init(unit: Int, attempt: Int, pod: Pod, related: [Pod] = []) {
        self.unit = unit
        self.attempt = attempt
        self.pod = pod
        self.related = related
    }

    public var name: String { pod.metadata.name ?? "" }
    public var uid: String { pod.metadata.uid ?? "" }
    var holdsFinalizer: Bool { pod.metadata.finalizers.contains(SlipwayLabels.recordFinalizer) }
    /// Whether the pod's phase is Succeeded or Failed.
    var isFinished: Bool { pod.status.phase?.isFinished ?? false }
    /// Whether some container ran and ended: the kubelet is finishing the pod, so deleting
    /// it would only lose its logs (the phase follows the container states a moment later).
    var hasExited: Bool { pod.status.containerStatuses.contains { $0.state.terminated != nil } }
    /// Still holding resources with nothing ending it: stuck before start, or stopped by Slipway.
    var needsDeleting: Bool { !isFinished && !hasExited }
}

/// How an attempt ended: its classification and what the kind learned besides.
public struct AttemptOutcome<Detail: Sendable>: Sendable {
    public var classification: Classification
    public var detail: Detail

    public init(classification: Classification, detail: Detail) {
        self.classification = classification
        self.detail = detail
    }
}

extension AttemptOutcome where Detail == Void {
    public init(classification: Classification) { self.init(classification: classification, detail: ()) }
}

/// What a unit's next attempt runs with after a failure, and why it differs.
public struct UnitAdaptation<State: AttemptStateFields>: Sendable {
    /// The unit's state with the learned settings changed (its bookkeeping untouched).
    public var adapted: State
    /// Each change, for events and the attempt history: `memory 512Mi → 1Gi after OOMKilled`.
    public var changes: [String]
    /// What kind each change is, for metrics.
    public var kinds: [RecordedAttempt.Change]
    /// Set when the next attempt runs at a cap.
    public var capReached: String?
    /// Set when this OutOfMemory happened at the memory cap: the unit fails with this message.
    public var exhausted: String?

    public init(adapted: State, changes: [String] = [], kinds: [RecordedAttempt.Change] = [], capReached: String? = nil, exhausted: String? = nil) {
        self.adapted = adapted
        self.changes = changes
        self.kinds = kinds
        self.capReached = capReached
        self.exhausted = exhausted
    }
}

/// How many attempt records `status.history` keeps.
public struct HistoryLimits: Sendable, Hashable {
    /// Per unit (newest kept); nil: no per-unit bound.
    public var perUnit: Int?
    /// In total (newest kept).
    public var total: Int

    public init(perUnit: Int?, total: Int) {
        self.perUnit = perUnit
        self.total = total
    }
}

/// Why an attempt cannot be rendered (the job is then Invalid with this message).
public struct AttemptRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
