import Foundation
import KubeAPI
import SlipwayAPI

/// A pod of the job with its index and attempt (from Slipway's labels).
struct AttemptPod {
    let pod: Pod
    let index: Int
    let attempt: Int

    var name: String { pod.metadata.name ?? "" }
    var uid: String { pod.metadata.uid ?? "" }
    var holdsFinalizer: Bool { pod.metadata.finalizers.contains(SlipwayLabels.recordFinalizer) }
    var isFinished: Bool { pod.status.phase?.isFinished ?? false }
    /// Whether some container ran and ended: the kubelet is finishing the pod, so deleting
    /// it would only lose its logs (the phase follows the container states a moment later).
    var hasExited: Bool { pod.status.containerStatuses.contains { $0.state.terminated != nil } }
    /// Still holding resources with nothing ending it: stuck before start, or stopped by Slipway.
    var needsDeleting: Bool { !isFinished && !hasExited }

    init?(_ pod: Pod) {
        let labels = pod.metadata.labels
        guard let index = labels[SlipwayLabels.index].flatMap(Int.init), let attempt = labels[SlipwayLabels.attempt].flatMap(Int.init)
        else { return nil }
        self.pod = pod
        self.index = index
        self.attempt = attempt
    }
}

/// The working state of one ``BatchJobDecider/decide(_:)`` call: the status being built
/// and the actions collected, by kind, in the order the controller performs them.
struct DeciderRun {
    let input: DecisionInput
    let job: BatchJob
    let spec: BatchJobSpec
    let now: Date
    let labels: CapacityLabels
    /// The job's pods, by index then attempt.
    let pods: [AttemptPod]
    var status: BatchJobStatus
    var table: BatchJobIndexTable
    /// `status.history`, newest last, capped as records are appended.
    var history: [AttemptRecord]
    /// Why no pod may start yet (a dependency), for the status message.
    var waitingFor: String?
    var deletes: [Decision.Action] = []
    var releases: [Decision.Action] = []
    var creates: [Decision.Action] = []
    var events: [Decision.Action] = []
    var deleteJob = false
    /// Times at which the decision may change without any new observation.
    var wakeups: [Date] = []
    /// UIDs already deleted or released in this decision.
    var handled: Set<String> = []
    /// Attempts recorded in status by this decision (``Decision/recorded``).
    var recorded: [RecordedAttempt] = []

    init(_ input: DecisionInput) {
        self.input = input
        job = input.job
        spec = BatchJobDefaults.withAttempts(input.job.spec, defaultAttempts: input.configuration.defaultAttempts)
        now = input.now
        labels = input.configuration.capacityLabels
        pods = input.pods.compactMap(AttemptPod.init).sorted { ($0.index, $0.attempt) < ($1.index, $1.attempt) }
        status = input.job.status
        table = BatchJobIndexTable(status: input.job.status, arraySize: max(0, input.job.spec.arraySize))
        history = input.job.status.history
    }

    // MARK: - Pods

    /// Pods whose attempt status has not recorded yet.
    var unrecordedPods: [AttemptPod] { pods.filter { !table.isRecorded(index: $0.index, attempt: $0.attempt) } }

    /// Unrecorded pods still running or waiting to run.
    var activePods: [AttemptPod] { unrecordedPods.filter { !$0.isFinished } }

    mutating func deletePod(_ pod: AttemptPod) {
        guard !pod.pod.metadata.isBeingDeleted, handled.insert("delete/" + pod.uid).inserted else { return }
        deletes.append(.deletePod(name: pod.name, uid: pod.uid))
    }

    /// Removes the record finalizer; performed after the status write that records the attempt.
    mutating func releasePod(_ pod: AttemptPod) {
        guard pod.holdsFinalizer, handled.insert("release/" + pod.uid).inserted else { return }
        releases.append(.releasePod(name: pod.name, uid: pod.uid))
    }

    /// Releases every pod whose attempt status records, deleting any still running (its
    /// index is done or moved on), and every pod of an index beyond `arraySize`.
    mutating func releaseRecordedPods() {
        for pod in pods where pod.index >= table.size || table.isRecorded(index: pod.index, attempt: pod.attempt) {
            if pod.needsDeleting { deletePod(pod) }
            releasePod(pod)
        }
    }

    mutating func event(_ type: Decision.EventKind, _ reason: String, _ message: String) {
        events.append(.event(type: type, reason: reason, message: message))
    }

    // MARK: - Output

    /// The decision: the full status, then deletes, releases, creates, events, deleteJob.
    mutating func decision() -> Decision {
        releaseRecordedPods()
        finishStatus()
        var actions = deletes + releases + creates + events
        if deleteJob { actions.append(.deleteJob) }
        let next = wakeups.filter { $0 > now }.min()
        let requeue = next.map { Duration.milliseconds(Int64(($0.timeIntervalSince(now) * 1000).rounded(.up))) }
        return Decision(status: status, actions: actions, requeueAfter: requeue, recorded: recorded)
    }
}
