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

    public init(status: BatchJobStatus? = nil, actions: [Action] = [], requeueAfter: Duration? = nil) {
        self.status = status
        self.actions = actions
        self.requeueAfter = requeueAfter
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
