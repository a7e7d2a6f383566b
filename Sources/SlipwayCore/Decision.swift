import Foundation
import KubeAPI
import SlipwayAPI

/// What one reconcile of a job should do: the status to write, the actions to perform,
/// and when to look again. `decide` (pure) produces it; the controller only executes it.
///
/// Order of execution: status first, then actions in order. Every action is idempotent
/// (deterministic pod names, deletes with UID preconditions), so a crash between any two
/// writes converges on the next reconcile.
public struct Decision: Sendable, Hashable {
    /// The full status to write (nil: unchanged).
    public var status: BatchJobStatus?
    public var actions: [Action]
    /// Reconcile again after this long even if nothing changes (retry backoff, timeouts).
    public var requeueAfter: Duration?
    /// The attempts that `status` records for the first time, and what became of them: what
    /// the controller reports (metrics) once that status is written. Recomputed from the same
    /// observation it is the same list, so reporting after a successful write counts each once.
    public var recorded: [RecordedAttempt]

    public init(status: BatchJobStatus? = nil, actions: [Action] = [], requeueAfter: Duration? = nil, recorded: [RecordedAttempt] = []) {
        self.status = status
        self.actions = actions
        self.requeueAfter = requeueAfter
        self.recorded = recorded
    }

    public enum Action: Sendable, Hashable {
        /// Create this pod (AlreadyExists with our owner UID means it exists: adopt, never a second one).
        case createPod(Pod)
        /// Submit one attempt of a SparkJob: create the driver pod (AlreadyExists with our
        /// owner UID adopts it), then apply the Service and ConfigMaps owned by it.
        case submitSpark(SparkSubmit)
        /// Delete a pod of ours, with a UID precondition.
        case deletePod(name: String, uid: String)
        /// Remove Slipway's record-keeping finalizer from a pod whose attempt is recorded in status.
        case releasePod(name: String, uid: String)
        /// Record an Event on the job.
        case event(type: EventKind, reason: String, message: String)
        /// Delete the job itself (ttlSecondsAfterFinished passed).
        case deleteJob
    }

    public enum EventKind: String, Sendable, Hashable {
        case normal = "Normal"
        case warning = "Warning"
    }
}

/// One finished attempt as a decision recorded it: how it ended and what the next attempt
/// changes. Plain values for reporting; the status history holds the details.
public struct RecordedAttempt: Sendable, Hashable {
    /// What became of the attempt's index.
    public enum Outcome: String, Sendable, Hashable {
        /// The attempt succeeded.
        case succeeded = "Succeeded"
        /// It failed and the index is tried again.
        case retried = "Retried"
        /// It failed and the index failed with it.
        case failed = "Failed"
        /// Its pod was stopped because the job was suspended (not a failure).
        case suspended = "Suspended"
    }

    /// A resource the next attempt gets more of, or a different kind of node.
    public enum Change: String, Sendable, Hashable, CaseIterable {
        case memory
        case cpu
        case executors
        case capacity
    }

    public var index: Int
    public var attempt: Int
    public var outcome: Outcome
    /// Why it failed; nil when it succeeded or was suspended.
    public var failureClass: FailureClass?
    /// What the index's next attempt changes (empty unless `outcome` is `retried`).
    public var changes: [Change]
    /// Seconds from the pod's creation until its container started (scheduling, image pull:
    /// the wait in the cluster's queue); nil when it never started or the times are unknown.
    public var waitSeconds: Double?

    public init(
        index: Int, attempt: Int, outcome: Outcome, failureClass: FailureClass? = nil, changes: [Change] = [], waitSeconds: Double? = nil
    ) {
        self.index = index
        self.attempt = attempt
        self.outcome = outcome
        self.failureClass = failureClass
        self.changes = changes
        self.waitSeconds = waitSeconds
    }
}

/// Names, labels and annotations Slipway puts on the objects it creates.
public enum SlipwayLabels {
    public static let jobName = "slipway.dev/job-name"
    public static let jobUID = "slipway.dev/job-uid"
    public static let index = "slipway.dev/index"
    public static let attempt = "slipway.dev/attempt"
    public static let arrayIndexAnnotation = "slipway.dev/array-index"
    /// Keeps a finished pod (and its exit code) until its attempt is recorded in status.
    public static let recordFinalizer = "slipway.dev/attempt-record"

    /// `<job>-<index>-<attempt>`.
    public static func podName(job: String, index: Int, attempt: Int) -> String { "\(job)-\(index)-\(attempt)" }
}
