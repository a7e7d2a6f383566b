import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Status

extension JobRun {
    /// Fills in the status: what every kind has here, then the kind's own fields, phase and
    /// message (``JobKind/finishStatus(_:)``).
    mutating func finishStatus() {
        status.observedGeneration = job.metadata.generation
        Kind.store(table, into: &status)
        status.history = history
        let summaries = FailureSummaryEntry.stored(summary)
        if !summaries.isEmpty || !status.failureSummary.isEmpty { status.failureSummary = summaries }
        if let start = status.startTime, let end = status.completionTime {
            status.duration = FailureMessage.describe(.seconds(max(0, end.timeIntervalSince(start))))
        } else {
            status.duration = nil
        }
        status.nextRetryTime = waitingRetries.compactMap { $0.state.retryAfter }.filter { $0 > now }.min()
        if let start = status.startTime, let seconds = settings.totalSeconds, !isFinished, !isTrue(.invalid) {
            wake(at: start.addingTimeInterval(TimeInterval(seconds)))
        }
        Kind.finishStatus(&self)
        applyQueuePhase()
    }

    /// Units that failed at least once and wait for their next attempt, lowest first.
    public var waitingRetries: [(unit: Int, state: Kind.UnitState)] {
        let active = Set(activeAttempts.map(\.unit))
        return table.states.filter { unit, state in
            state.failures > 0 && state.launchedAt == nil && !table.isDone(unit) && !active.contains(unit)
        }.map { ($0.key, $0.value) }.sorted { $0.unit < $1.unit }
    }

    /// The phase every kind agrees on — Failed when invalid, Succeeded, Failed, Suspended,
    /// Retrying while a unit waits for its backoff — or nil where the kind decides.
    public var settledPhase: JobPhase? {
        if isTrue(.invalid) { return .failed }
        if isTrue(.succeeded) { return .succeeded }
        if isTrue(.failed) { return .failed }
        if settings.suspend { return .suspended }
        if !waitingRetries.isEmpty { return .retrying }
        return nil
    }

    /// The message of the condition that settles the job (Invalid, Succeeded, Failed), if any.
    public var settledMessage: String? {
        for type in [JobConditionType.invalid, .succeeded, .failed] {
            if let c = condition(type), c.status == .true { return c.message ?? type.rawValue }
        }
        return nil
    }

    /// `<label> is pending: FailedScheduling: 0/1 nodes are available: …` for the pod whose
    /// warning tells most why it has not started, among `pods` (labelled for the message).
    public func mostTellingWarning(_ pods: [(label: String, pod: Pod)]) -> String? {
        PendingWarning.mostTelling(
            pods.map { (label: $0.label, events: input.podEvents[$0.pod.metadata.name ?? ""] ?? []) },
            messageLimit: configuration.eventMessageLimit)
    }
}
