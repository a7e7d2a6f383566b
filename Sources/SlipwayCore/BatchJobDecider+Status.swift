import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Conditions

extension DeciderRun {
    func condition(_ type: String) -> Condition? { status.conditions.first { $0.type == type } }

    /// Sets a `metav1.Condition`; `lastTransitionTime` changes only when the status does.
    /// Returns whether the status changed (or the condition is new).
    @discardableResult
    mutating func setCondition(_ type: String, _ value: ConditionStatus, reason: String, message: String) -> Bool {
        status.conditions.set(type, value, reason: reason, message: message, now: now, generation: job.metadata.generation)
    }
}

// MARK: - Status

extension DeciderRun {
    /// Fills in everything derived: index sets, states, history, counts, phase, message.
    mutating func finishStatus() {
        status.observedGeneration = job.metadata.generation
        status.succeededIndexes = table.succeeded.isEmpty ? nil : table.succeeded.description
        status.failedIndexes = table.failed.isEmpty ? nil : table.failed.description
        status.indexStates = table.merged()
        status.history = history
        let running = Set(activePods.filter { $0.pod.status.phase == .running }.map(\.index)).count
        status.total = table.size
        status.succeeded = table.succeeded.count
        status.failed = table.failed.count
        status.running = running
        status.pending = max(0, table.size - status.succeeded - status.failed - running)
        status.progress = "\(status.succeeded)/\(table.size)"
        status.nextRetryTime = waitingRetries.compactMap { $0.state.retryAfter }.filter { $0 > now }.min()
        if let start = status.startTime {
            setCondition("Started", .true, reason: "AttemptsCreated", message: "the first attempt was created")
            if let seconds = spec.timeouts.totalSeconds, !isFinished, condition("Invalid")?.status != .true {
                wakeups.append(start.addingTimeInterval(TimeInterval(seconds)))
            }
        }
        status.phase = phase()
        status.message = message()
    }

    /// Indexes that failed at least once and wait for their next pod, lowest first.
    var waitingRetries: [(index: Int, state: IndexState)] {
        let active = Set(activePods.map(\.index))
        return table.states.filter { index, state in
            state.failures > 0 && state.launchedAt == nil && !table.isDone(index) && !active.contains(index)
        }.map { ($0.key, $0.value) }.sorted { $0.index < $1.index }
    }

    func phase() -> BatchJobPhase {
        if condition("Invalid")?.status == .true { return .failed }
        if condition("Succeeded")?.status == .true { return .succeeded }
        if condition("Failed")?.status == .true { return .failed }
        if spec.suspend { return .suspended }
        if !waitingRetries.isEmpty { return .retrying }
        return status.running > 0 || status.succeeded + status.failed > 0 ? .running : .pending
    }

    /// One sentence: why the job is where it is.
    func message() -> String {
        for type in ["Invalid", "Succeeded", "Failed"] {
            if let c = condition(type), c.status == .true { return c.message ?? type }
        }
        let progress = "\(status.running) of \(status.total) indexes running, \(status.succeeded) succeeded"
            + (status.failed > 0 ? ", \(status.failed) failed" : "")
        if spec.suspend { return "suspended; \(status.succeeded) of \(status.total) indexes succeeded" }
        if let waitingFor, status.running == 0, creates.isEmpty, activePods.isEmpty { return waitingFor }
        var parts = [progress]
        if let (index, state) = waitingRetries.first {
            let at = state.retryAfter.flatMap { $0 > now ? " at \(RFC3339.format($0))" : nil } ?? ""
            parts.append("index \(index) retrying after \(state.lastFailure ?? "a failure")\(at)")
        }
        if let telling = mostTellingWarning() { parts.append(telling) }
        return parts.joined(separator: "; ")
    }

    /// `index 0 attempt 0 is pending: FailedScheduling: 0/1 nodes are available: …`.
    func mostTellingWarning() -> String? {
        let waiting = activePods.filter { $0.pod.status.phase != .running }
        return PendingWarning.mostTelling(
            waiting.map { (label: "index \($0.index) attempt \($0.attempt)", events: input.podEvents[$0.name] ?? []) },
            messageLimit: input.configuration.eventMessageLimit)
    }
}
