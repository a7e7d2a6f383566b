import Foundation
import KubeAPI

/// Where a job is, for `kubectl get` and `kubectl wait --for=jsonpath={.status.phase}=…`.
/// Every kind uses these values; each lists the ones it can reach (``BatchJob/phases``,
/// ``SparkJob/phases``), which its schema enumerates.
public enum JobPhase: String, Sendable, Hashable, CaseIterable {
    /// Nothing runs yet: waiting for a dependency, a start, or a pod to be scheduled.
    case pending = "Pending"
    /// A SparkJob's driver pod exists and has not started running.
    case submitted = "Submitted"
    case running = "Running"
    /// An attempt failed and the next one waits for its backoff.
    case retrying = "Retrying"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case suspended = "Suspended"
    /// The job waits for its JobQueue to admit it (condition Admitted=False says why).
    case queued = "Queued"
    /// The job was not run: its queue found a duplicate (`spec.dedupKey`).
    case skipped = "Skipped"
}

/// The status fields every kind of job has, in the same place and with the same meaning:
/// what the generic job decider writes and `kubectl wait` reads. A kind's status adds its
/// own (index counts, a driver and executors, …).
public protocol JobStatusFields: JSONBacked {
    /// The kind's record of one attempt in `history`.
    associatedtype Record: AttemptRecordFields
    /// Finished attempts, newest last, bounded.
    var history: [Record] { get set }
}

extension JobStatusFields {
    public var phase: JobPhase? {
        get { (self["phase"] as String?).flatMap(JobPhase.init(rawValue:)) }
        set { self["phase"] = newValue?.rawValue }
    }
    public var observedGeneration: Int64? { get { self["observedGeneration"] } set { self["observedGeneration"] = newValue } }
    /// `metav1.Condition`s (``JobConditionType`` in SlipwayCore names them).
    public var conditions: [Condition] { get { self[list: "conditions"] } set { self[list: "conditions"] = newValue } }
    /// One sentence: why the job is where it is.
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    /// When the first attempt was created.
    public var startTime: Date? { get { self["startTime"] } set { self["startTime"] = newValue } }
    /// When the job succeeded or failed.
    public var completionTime: Date? { get { self["completionTime"] } set { self["completionTime"] = newValue } }
    /// From the first attempt to the end, once the job finished (`33s`, `1h2m`): the
    /// `Duration` printer column.
    public var duration: String? { get { self["duration"] } set { self["duration"] = newValue } }
    /// The `spec.retryGeneration` last acted on (a bump beyond it retries a Failed job).
    public var retryGeneration: Int { get { self["retryGeneration"] ?? 0 } set { self["retryGeneration"] = newValue } }
    /// Failed units whose last failed attempt `history` could no longer keep, by class with
    /// their index ranges (`AppError: 50-99999`); empty while every failed unit has its record.
    public var failureSummary: [FailureSummary] { get { self[list: "failureSummary"] } set { self[list: "failureSummary"] = newValue } }
    /// Attempts created so far (counted or not): pods of a BatchJob, drivers of a SparkJob.
    public var attempts: Int { get { self["attempts"] ?? 0 } set { self["attempts"] = newValue } }
    /// When the next attempt may start (the earliest backoff that has not passed).
    public var nextRetryTime: Date? { get { self["nextRetryTime"] } set { self["nextRetryTime"] = newValue } }
}

/// Failed units of one failure class whose records `status.history` no longer holds.
public struct FailureSummary: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(failureClass: FailureClass?, indexes: String, count: Int) {
        self.init(object: JSONObject())
        self.failureClass = failureClass
        self.indexes = indexes
        self.count = count
    }

    public var failureClass: FailureClass? {
        get { (self["class"] as String?).flatMap(FailureClass.init(rawValue:)) }
        set { self["class"] = newValue?.rawValue }
    }
    /// The units, as a compact index set (`"50-99999"`).
    public var indexes: String { get { self["indexes"] ?? "" } set { self["indexes"] = newValue } }
    public var count: Int { get { self["count"] ?? 0 } set { self["count"] = newValue } }

    /// The schema of one `status.failureSummary` entry.
    public static var schema: OpenAPISchema {
        .object(["class": .string(enumOf: FailureClass.self), "indexes": .string(), "count": .integer()])
    }
}

/// The retry bookkeeping of one unit of a job — a BatchJob index, a SparkJob's
/// application — that outlives its pods: the attempt it is at, its failures, when its next
/// attempt may start and when the current one was requested. A kind's state adds what its
/// attempts learned (memory, executors, capacity).
public protocol AttemptStateFields: JSONBacked {
    /// The number of the unit's attempt that is not yet recorded (0-based): the one running
    /// or the next to start.
    var attempt: Int { get set }
    /// Forgets what belonged only to the attempt that ended (beyond the common bookkeeping,
    /// which the decider resets).
    mutating func forgetEndedAttempt()
}

extension AttemptStateFields {
    public mutating func forgetEndedAttempt() {}
}

extension AttemptStateFields {
    /// Failures counted against `retryStrategy.attempts`.
    public var countedFailures: Int { get { self["countedFailures"] ?? 0 } set { self["countedFailures"] = newValue } }
    /// Failures of any kind (for capacity moves after a number of failures).
    public var failures: Int { get { self["failures"] ?? 0 } set { self["failures"] = newValue } }
    /// Not before this time (backoff).
    public var retryAfter: Date? { get { self["retryAfter"] } set { self["retryAfter"] = newValue } }
    /// When the attempt's pod was requested and not yet recorded. Written to status before
    /// the create is sent, so a reconcile whose cache has not yet seen the pod neither counts
    /// nor announces it twice; a create that never shows up is sent again, under the same name.
    public var launchedAt: Date? { get { self["launchedAt"] } set { self["launchedAt"] = newValue } }
    /// The last failure in a few words, for messages.
    public var lastFailure: String? { get { self["lastFailure"] } set { self["lastFailure"] = newValue } }
}

/// The fields of one attempt record in `status.history` that every kind writes.
public protocol AttemptRecordFields: JSONBacked {
    /// The unit the attempt belongs to (a BatchJob's index; 0 for a SparkJob).
    var unit: Int { get }
    var attempt: Int { get set }
}

extension AttemptRecordFields {
    public var startTime: Date? { get { self["startTime"] } set { self["startTime"] = newValue } }
    public var finishTime: Date? { get { self["finishTime"] } set { self["finishTime"] = newValue } }
    public var exitCode: Int? { get { self["exitCode"] } set { self["exitCode"] = newValue } }
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var failureClass: FailureClass? {
        get { (self["class"] as String?).flatMap(FailureClass.init(rawValue:)) }
        set { self["class"] = newValue?.rawValue }
    }
    /// The extracted message (termination message or log tail), truncated.
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    /// Whether the attempt counted against `retryStrategy.attempts`.
    public var counted: Bool? { get { self["counted"] } set { self["counted"] = newValue } }
    /// What changes for the next attempt (`memory 512Mi → 1Gi after OOMKilled`).
    public var adaptations: [String] { get { self[list: "adaptations"] } set { self[list: "adaptations"] = newValue } }
    /// Warning events of the attempt's pods, de-duplicated with counts (bounded).
    public var events: [AttemptEvent] { get { self[list: "events"] } set { self[list: "events"] = newValue } }
}
