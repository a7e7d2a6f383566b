import Foundation
import KubeAPI
import SlipwayAPI

/// The working state of one ``JobDecider/decide(_:)`` call: the status being built, the
/// units' states and the actions collected, by kind of action, in the order the controller
/// performs them. ``JobKind`` hooks read it (and a few change it: a unit's state, wake-ups).
public struct JobRun<Kind: JobKind>: Sendable {
    /// What the decision reads.
    public let input: JobInput<Kind>
    /// The job as observed (its status is ``status``, being rebuilt).
    public let job: Kind
    /// What the decider needs of the job's spec (``JobKind/settings(_:)``).
    public let settings: JobSettings
    /// The time of the decision.
    public var now: Date { input.now }
    /// The operator's settings.
    public var configuration: DeciderConfiguration { input.configuration }
    /// The node label that says spot or on-demand, and its values.
    public var labels: CapacityLabels { input.configuration.capacityLabels }
    /// The job's attempts, by unit then attempt.
    public let attempts: [ObservedAttempt]
    /// The status being built; written whole by the controller.
    public var status: Kind.Status
    /// The units' states being built (stored into ``status`` at the end).
    public var table: UnitTable<Kind.UnitState>
    /// `status.history`, newest last, capped as records are appended.
    var history: [Kind.Status.Record]
    /// Why no attempt may start yet (a dependency), for the status message.
    public internal(set) var waitingFor: String?
    /// Whether the job's queue holds its next attempts back (``queueAdmits()``).
    public internal(set) var queueBlocked = false
    /// The whole failure message of units that failed in this decision (status keeps a shortened one).
    var failureMessages: [Int: String] = [:]
    var deletes: [JobAction] = []
    var releases: [JobAction] = []
    public internal(set) var creates: [JobAction] = []
    var events: [JobAction] = []
    var deleteJob = false
    /// Times at which the decision may change without any new observation.
    var wakeups: [Date] = []
    /// Pod UIDs already deleted or released in this decision.
    var handled: Set<String> = []
    /// Attempts recorded in status by this decision (``JobDecision/recorded``).
    var recorded: [RecordedAttempt] = []
    /// `status.failureSummary` being built, by class.
    var summary: [FailureClass?: FailureSummaryEntry]

    init(_ input: JobInput<Kind>) {
        self.input = input
        job = input.job
        settings = input.job.settings(input.configuration)
        attempts = Kind.attempts(in: input).sorted { ($0.unit, $0.attempt) < ($1.unit, $1.attempt) }
        status = input.job.status
        table = Kind.units(of: input.job.status, size: max(0, settings.units))
        history = input.job.status.history
        summary = Dictionary(input.job.status.failureSummary.map { ($0.failureClass, FailureSummaryEntry($0)) }) { a, _ in a }
    }

    // MARK: - Attempts

    /// Attempts status has not recorded yet.
    var unrecordedAttempts: [ObservedAttempt] { attempts.filter { !table.isRecorded(unit: $0.unit, attempt: $0.attempt) } }

    /// Unrecorded attempts whose pod still runs or waits to run.
    public var activeAttempts: [ObservedAttempt] { unrecordedAttempts.filter { !$0.isFinished } }

    /// Asks to look again at `time` (a timeout, a backoff, a grace period).
    public mutating func wake(at time: Date) { wakeups.append(time) }

    /// How an attempt's pod ended, from ``FailureClassifier``: nil while it runs. A pod still
    /// waiting to start is looked at again when each of its start timeouts will have passed.
    public mutating func classify(_ pod: Pod, container: String?, startTimeouts: StartTimeouts? = nil) -> Classification? {
        let node = pod.spec.nodeName
        let classification = FailureClassifier.classify(
            pod: pod, mainContainer: container, nodeLabels: node.flatMap { input.nodeLabels[$0] },
            nodeGone: node.map(input.goneNodes.contains) ?? false,
            events: (input.podEvents[pod.metadata.name ?? ""] ?? []).map(PodWarning.init), startTimeout: startTimeouts?.startFailure,
            unschedulableTimeout: startTimeouts?.unschedulable, now: now, capacityLabel: labels.key)
        if classification == nil, let startTimeouts, pod.status.phase == nil || pod.status.phase == .pending,
           let created = pod.metadata.creationTimestamp {
            for timeout in [startTimeouts.startFailure, startTimeouts.unschedulable] {
                wake(at: created.addingTimeInterval(RetryPlanner.seconds(timeout)))
            }
        }
        return classification
    }

    mutating func deletePod(_ attempt: ObservedAttempt) {
        guard !attempt.pod.metadata.isBeingDeleted, handled.insert("delete/" + attempt.uid).inserted else { return }
        deletes.append(.deletePod(name: attempt.name, uid: attempt.uid))
    }

    /// Deletes every pod an ended attempt started (a SparkJob driver's executors) that is not
    /// terminated: a retained driver keeps its executors, and a pending one would keep
    /// asking an autoscaler for a node. Performed after the status write that records them.
    mutating func deleteRelatedPods(_ attempt: ObservedAttempt) {
        for pod in attempt.related {
            let started = ObservedAttempt(unit: attempt.unit, attempt: attempt.attempt, pod: pod)
            if started.needsDeleting { deletePod(started) }
        }
    }

    /// Removes the record finalizer; performed after the status write that records the attempt.
    mutating func releasePod(_ attempt: ObservedAttempt) {
        guard attempt.holdsFinalizer, handled.insert("release/" + attempt.uid).inserted else { return }
        releases.append(.releasePod(name: attempt.name, uid: attempt.uid))
    }

    /// Releases every pod whose attempt status records, deleting any still running (its
    /// unit is done or moved on) and what it started, and every pod of a unit beyond the
    /// job's size.
    mutating func releaseRecordedPods() {
        for attempt in attempts where attempt.unit >= table.size || table.isRecorded(unit: attempt.unit, attempt: attempt.attempt) {
            if attempt.needsDeleting { deletePod(attempt) }
            deleteRelatedPods(attempt)
            releasePod(attempt)
        }
    }

    /// Deletes every active pod and what it started, and releases every pod: nothing of the
    /// job runs any more.
    mutating func stopAllPods() {
        for attempt in attempts {
            if attempt.needsDeleting { deletePod(attempt) }
            deleteRelatedPods(attempt)
            releasePod(attempt)
        }
    }

    mutating func event(_ type: JobEventType, _ reason: JobEventReason, _ message: String) {
        events.append(.event(type: type, reason: reason, message: message))
    }

    // MARK: - Output

    /// The decision: the full status, then deletes, releases, creates, events, deleteJob.
    mutating func decision() -> JobDecision<Kind.Status> {
        releaseRecordedPods()
        finishStatus()
        var actions = deletes + releases + creates + events
        if deleteJob { actions.append(.deleteJob) }
        let next = wakeups.filter { $0 > now }.min()
        let requeue = next.map { Duration.milliseconds(Int64(($0.timeIntervalSince(now) * 1000).rounded(.up))) }
        return JobDecision(status: status, actions: actions, requeueAfter: requeue, recorded: recorded, statusUrgency: statusUrgency)
    }

    /// ``JobDecision/statusUrgency``.
    var statusUrgency: StatusUrgency {
        guard statusCanWait else { return .now }
        if statusShowsTheSame(but: false) { return .withNextWrite }
        if statusShowsTheSame(but: true) { return .message }
        if let phase = status.phase, [.pending, .submitted].contains(phase) { return .starting }
        return .batched
    }

    /// What `kubectl get`, `describe` and `wait` read is unchanged — phase, attempts,
    /// conditions, observedGeneration and the message; `but` the message: all of that
    /// except a changed message.
    func statusShowsTheSame(but message: Bool) -> Bool {
        let old = job.status
        return status.phase == old.phase && (status.message == old.message) != message && status.attempts == old.attempts
            && status.conditions == old.conditions && status.observedGeneration == old.observedGeneration
    }

    /// Nothing but progress changed and nothing must follow the write.
    var statusCanWait: Bool {
        guard deletes.isEmpty, releases.isEmpty, events.isEmpty, !deleteJob else { return false }
        // Queued too: the queue's verdict (why it waits, or its admission), which the job's
        // own reconcile records, usually comes within the window and says more.
        let progressPhases: Set<JobPhase> = [.queued, .pending, .submitted, .running]
        guard let phase = status.phase, progressPhases.contains(phase),
              job.status.phase.map(progressPhases.contains) ?? true else { return false }
        return Self.withoutProgress(status) == Self.withoutProgress(job.status)
    }

    /// `status` without what describes only the pods as they are now.
    static func withoutProgress(_ status: Kind.Status) -> JSONObject {
        var object = status.object
        for path in Kind.progressStatusKeys.union(["phase", "message", "attempts", "startTime", "observedGeneration", "conditions"]) {
            let keys = path.split(separator: ".").map(String.init)
            guard keys.count == 2 else {
                object[path] = nil
                continue
            }
            // A key inside an object (`current.launchedAt`); an object left empty goes too.
            guard var inner = object[keys[0]]?.objectValue else { continue }
            inner[keys[1]] = nil
            object[keys[0]] = inner.isEmpty ? nil : .object(inner)
        }
        let progress = Set([JobConditionType.started, .submitted, .running].map(\.rawValue))
        let kept = status.conditions.filter { !progress.contains($0.type) }
        if !kept.isEmpty { object["conditions"] = .array(kept.map { .object($0.object) }) }
        return object
    }
}
