import Foundation
import KubeAPI
import SlipwayAPI

/// The condition types on a job's status (`metav1.Condition`s): what
/// `kubectl wait --for=condition=…` waits for.
public enum JobConditionType: String, Sendable, Hashable, CaseIterable {
    /// A BatchJob's first attempt was created.
    case started = "Started"
    /// A SparkJob's driver pod of the current attempt exists.
    case submitted = "Submitted"
    /// A SparkJob's driver is running.
    case running = "Running"
    case succeeded = "Succeeded"
    case failed = "Failed"
    /// `spec.suspend` is true and nothing of the job runs.
    case suspended = "Suspended"
    /// The spec cannot run as written; the message names every field and the fix.
    case invalid = "Invalid"
    /// The job's JobQueue admitted it (False: why it waits or was turned away; docs/queues.md).
    case admitted = "Admitted"
}

/// The reasons of a job's conditions.
public enum JobConditionReason: String, Sendable, Hashable, CaseIterable {
    case invalidSpec = "InvalidSpec"
    case validSpec = "ValidSpec"
    case jobSuspended = "JobSuspended"
    case jobResumed = "JobResumed"
    /// A job named in `dependsOn` failed.
    case dependencyFailed = "DependencyFailed"
    /// The job ran past `timeouts.totalSeconds`.
    case deadlineExceeded = "DeadlineExceeded"
    /// The API server refused to create an attempt's pod (or an object it owns) in a way
    /// asking again cannot change: Invalid, BadRequest, Forbidden.
    case createRefused = "CreateRefused"
    /// Every index of a BatchJob ended and some failed.
    case indexesFailed = "IndexesFailed"
    case allIndexesSucceeded = "AllIndexesSucceeded"
    /// A SparkJob's application failed for good.
    case applicationFailed = "ApplicationFailed"
    case driverSucceeded = "DriverSucceeded"
    case attemptsCreated = "AttemptsCreated"
    case driverCreated = "DriverCreated"
    case driverRunning = "DriverRunning"
    case driverPending = "DriverPending"
    case notSubmitted = "NotSubmitted"
    case retrying = "Retrying"
    case finished = "Finished"
    /// `spec.retryGeneration` was bumped: what failed runs again.
    case retried = "Retried"
    /// The parent that failed is being retried: the job waits for it again.
    case dependencyRetried = "DependencyRetried"
    // The reasons of the `Admitted` condition (docs/queues.md).
    /// Admitted: the job's whole request fits what its queue has left.
    case admitted = "Admitted"
    /// Waits for room (or for the jobs before it, StrictFIFO).
    case waiting = "Waiting"
    /// `spec.queue` names no JobQueue.
    case queueNotFound = "QueueNotFound"
    /// The queue's namespaceSelector does not select the job's namespace.
    case namespaceNotAllowed = "NamespaceNotAllowed"
    /// Turned away: `maxQueued` jobs already wait (phase Failed).
    case queueFull = "QueueFull"
    /// Turned away: the request is above the queue's limits on its own (phase Failed).
    case exceedsQueueLimits = "ExceedsQueueLimits"
    /// Skipped: an earlier job of the queue has the same dedupKey (phase Skipped).
    case duplicate = "Duplicate"
}

/// The reasons of the events Slipway records on a job (`kubectl describe` shows them).
public enum JobEventReason: String, Sendable, Hashable, CaseIterable {
    /// A BatchJob's pod of an attempt was created.
    case attemptStarted = "AttemptStarted"
    /// A Failed job was re-opened (`spec.retryGeneration`, or its failed parent retried).
    case retried = "Retried"
    /// A SparkJob's attempt was submitted (driver pod, Service, ConfigMap).
    case submitted = "Submitted"
    case attemptFailed = "AttemptFailed"
    /// A BatchJob index failed for good.
    case indexFailed = "IndexFailed"
    /// The next attempt runs with other resources or on other capacity.
    case adapted = "Adapted"
    case adaptationCapReached = "AdaptationCapReached"
    case completed = "Completed"
    case failed = "Failed"
    case invalid = "Invalid"
    case suspended = "Suspended"
    case resumed = "Resumed"
    /// A pod with the name of an attempt exists and belongs to someone else.
    case podNameTaken = "PodNameTaken"
    /// The job's queue admitted it.
    case admitted = "Admitted"
    /// The job's queue skipped it as a duplicate.
    case skipped = "Skipped"
    /// A SparkJob's analysis found an anti-pattern (one event per finding; docs/analysis.md).
    case analysisFinding = "AnalysisFinding"
}

/// An event's type.
public enum JobEventType: String, Sendable, Hashable {
    case normal = "Normal"
    case warning = "Warning"
}

extension Array where Element == Condition {
    /// The condition of `type`, if set.
    public subscript(_ type: JobConditionType) -> Condition? { first { $0.type == type.rawValue } }

    /// Whether the condition of `type` is True.
    public func isTrue(_ type: JobConditionType) -> Bool { self[type]?.status == .true }

    /// Sets a `metav1.Condition`; `lastTransitionTime` changes only when the status does.
    /// Returns whether the status changed (or the condition is new).
    @discardableResult
    public mutating func set(
        _ type: JobConditionType, _ value: ConditionStatus, reason: JobConditionReason, message: String, now: Date, generation: Int64?
    ) -> Bool {
        let old = self[type]
        let changed = old?.status != value
        let condition = Condition(
            type: type.rawValue, status: value, reason: reason.rawValue, message: message,
            lastTransitionTime: changed ? now : (old?.lastTransitionTime ?? now), observedGeneration: generation)
        if let i = firstIndex(where: { $0.type == type.rawValue }) { self[i] = condition } else { append(condition) }
        return changed
    }
}
