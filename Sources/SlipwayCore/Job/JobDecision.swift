import Foundation
import KubeAPI
import SlipwayAPI

/// What one reconcile of a job should do: the status to write, the actions to perform,
/// and when to look again. ``JobDecider/decide(_:)`` (pure) produces it; the controller
/// only executes it — one shape for every kind, as async-http-client's pool state machine
/// has one `Action` for its HTTP/1 and HTTP/2 variants.
///
/// Order of execution: status first, then actions in order. Every action is idempotent
/// (deterministic pod names, deletes with UID preconditions), so a crash between any two
/// writes converges on the next reconcile.
public struct JobDecision<Status: JobStatusFields>: Sendable, Hashable where Status: Sendable {
    /// The full status to write (nil: unchanged).
    public var status: Status?
    public var actions: [JobAction]
    /// Reconcile again after this long even if nothing changes (retry backoff, timeouts).
    public var requeueAfter: Duration?
    /// The attempts that `status` records for the first time, and what became of them: what
    /// the controller reports (metrics) once that status is written. Recomputed from the same
    /// observation it is the same list, so reporting after a successful write counts each once.
    public var recorded: [RecordedAttempt]
    /// When `status` must be written (``StatusUrgency``).
    public var statusUrgency: StatusUrgency

    public init(
        status: Status? = nil, actions: [JobAction] = [], requeueAfter: Duration? = nil, recorded: [RecordedAttempt] = [],
        statusUrgency: StatusUrgency = .now
    ) {
        self.status = status
        self.actions = actions
        self.requeueAfter = requeueAfter
        self.recorded = recorded
        self.statusUrgency = statusUrgency
    }
}

extension JobDecision {
    /// Whether the status may wait to be folded into a later write (anything but ``StatusUrgency/now``).
    public var statusCanWait: Bool { statusUrgency != .now }
    /// Whether nothing a user reads changes: the status is not written on its own.
    public var statusOnlyRefreshesCounts: Bool { statusUrgency == .withNextWrite }
    /// Whether, of what a user reads, only the message changes.
    public var statusOnlyRewordsTheMessage: Bool { statusUrgency == .message }
}

/// When a decision's status must be written. All but ``now`` apply when `status` changes
/// only what the next decision derives again from the same pods (phase Queued, Pending,
/// Submitted or Running and its message, counts of pending and running pods, the progress
/// conditions, launches of attempts, which their pods record too) and no action must follow
/// a written status (no deletes, releases, events, job deletion). Such a write may wait and
/// be folded into a later one (the controller's status batch window): a pod that starts and
/// ends within it costs one status write, not three. Nothing is lost if the operator stops
/// before it is written: the next decision computes it again.
public enum StatusUrgency: Sendable, Hashable {
    /// Before the actions: something a later step relies on, or a user must see, changed.
    case now
    /// Progress a user reads (phase, attempts, conditions, observedGeneration) changed:
    /// once the phase it shows is one status batch window old (a phase that lasts less is
    /// never written), and within the longer window of the first change held back.
    case batched
    /// Progress while none of the job's pods runs yet (phase Pending, or Submitted for a
    /// SparkJob): within the longer window. A pod usually starts within it, and the write
    /// then says Running, or why the pod does not start (the scheduler's reason), instead of
    /// Pending and then that in a second write.
    case starting
    /// Of what a user reads only the message changed (the scheduler's reason for a pending
    /// pod arrived, one more index runs): within the longer message window.
    case message
    /// Nothing a user reads changed, only counts: with the next write, not on its own.
    case withNextWrite
}

/// One thing a decision asks the controller to do.
public enum JobAction: Sendable, Hashable {
    /// Create an attempt's pod (AlreadyExists with our owner UID means it exists: adopt,
    /// never a second one), then apply the objects it owns.
    case create(AttemptObjects)
    /// Delete a pod of ours, with a UID precondition.
    case deletePod(name: String, uid: String)
    /// Remove Slipway's record-keeping finalizer from a pod whose attempt is recorded in status.
    case releasePod(name: String, uid: String)
    /// Record an Event on the job.
    case event(type: JobEventType, reason: JobEventReason, message: String)
    /// Delete the job itself (ttlSecondsAfterFinished passed).
    case deleteJob
}

/// What one attempt creates: its pod, then objects owned by that pod (a SparkJob driver's
/// Service and ConfigMaps, applied server-side as spark-submit creates them, so deleting
/// the driver deletes them).
public struct AttemptObjects: Sendable, Hashable {
    /// An object an attempt's pod owns.
    public enum Owned: Sendable, Hashable {
        case service(Service)
        case configMap(ConfigMap)
    }

    /// The attempt's pod (a BatchJob's index pod, a SparkJob's driver).
    public var pod: Pod
    /// Applied after the pod exists, owned by it; empty when the pod is all there is.
    public var owned: [Owned]

    public init(pod: Pod, owned: [Owned] = []) {
        self.pod = pod
        self.owned = owned
    }

    /// The owned objects as they are applied: with a controller owner reference to the pod.
    public func owned(byPodUID uid: String) -> [Owned] {
        let owner = OwnerReference(apiVersion: "v1", kind: "Pod", name: pod.metadata.name ?? "", uid: uid, controller: true)
        return owned.map { object in
            switch object {
            case .service(var service):
                service.metadata.ownerReferences = [owner]
                return .service(service)
            case .configMap(var configMap):
                configMap.metadata.ownerReferences = [owner]
                return .configMap(configMap)
            }
        }
    }
}

/// One finished attempt as a decision recorded it: how it ended and what the next attempt
/// changes. Plain values for reporting; the status history holds the details.
public struct RecordedAttempt: Sendable, Hashable {
    /// What became of the attempt's unit.
    public enum Outcome: String, Sendable, Hashable {
        /// The attempt succeeded.
        case succeeded = "Succeeded"
        /// It failed and the unit is tried again.
        case retried = "Retried"
        /// It failed and the unit failed with it.
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

    /// The unit: a BatchJob's index, 0 for a SparkJob.
    public var unit: Int
    public var attempt: Int
    public var outcome: Outcome
    /// Why it failed; nil when it succeeded or was suspended.
    public var failureClass: FailureClass?
    /// What the unit's next attempt changes (empty unless `outcome` is `retried`).
    public var changes: [Change]
    /// Seconds from the pod's creation until its container started (scheduling, image pull:
    /// the wait in the cluster's queue); nil when it never started or the times are unknown.
    public var waitSeconds: Double?

    public init(
        unit: Int, attempt: Int, outcome: Outcome, failureClass: FailureClass? = nil, changes: [Change] = [], waitSeconds: Double? = nil
    ) {
        self.unit = unit
        self.attempt = attempt
        self.outcome = outcome
        self.failureClass = failureClass
        self.changes = changes
        self.waitSeconds = waitSeconds
    }
}
