import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Recording finished attempts

extension DeciderRun {
    /// Records every attempt that ended and is not yet in status, lowest index and attempt
    /// first. A pod that is classified but not finished (stuck past the start timeout, its
    /// node gone) is deleted as well.
    mutating func recordFinishedPods() {
        let startTimeout = spec.timeouts.startSeconds.map { Duration.seconds($0) }
        for pod in pods where pod.index < table.size && !table.isRecorded(index: pod.index, attempt: pod.attempt) {
            let node = pod.pod.spec.nodeName
            let classification = FailureClassifier.classify(
                pod: pod.pod, mainContainer: spec.container, nodeLabels: node.flatMap { input.nodeLabels[$0] },
                nodeGone: node.map(input.goneNodes.contains) ?? false,
                events: (input.podEvents[pod.name] ?? []).map(PodWarning.init), startTimeout: startTimeout,
                now: now, capacityLabel: labels.key)
            guard let classification else {
                if let startTimeout, pod.pod.status.phase == nil || pod.pod.status.phase == .pending,
                   let created = pod.pod.metadata.creationTimestamp {
                    wakeups.append(created.addingTimeInterval(RetryPlanner.seconds(startTimeout)))
                }
                continue
            }
            if pod.needsDeleting { deletePod(pod) }
            record(pod, classification)
        }
    }

    /// Puts one ended attempt into status: history, then the index's new state.
    mutating func record(_ pod: AttemptPod, _ classification: Classification) {
        var record = attemptRecord(pod, classification)
        var reported = RecordedAttempt(
            index: pod.index, attempt: pod.attempt, outcome: .succeeded, failureClass: classification.failureClass,
            waitSeconds: Self.waitSeconds(pod.pod, started: record.startTime))
        guard !classification.succeeded else {
            appendHistory(record)
            table.markSucceeded(pod.index)
            recorded.append(reported)
            return
        }
        var state = table.state(pod.index)
        let match = RuleMatcher.action(for: classification, rules: spec.retryStrategy.rules)
        let ran = AttemptResources.read(from: pod.pod.spec, container: spec.container, labels: labels)
        let adaptation = Adapter.adapt(
            after: classification, adaptation: spec.adapt, ran: ran,
            previousFailures: Array(repeating: FailureClass.appError, count: state.failures))
        let plan = RetryPlanner.next(
            after: classification, match: match, countedFailures: state.countedFailures,
            attempts: spec.retryStrategy.attempts, backoff: spec.retryStrategy.backoff, finishedAt: now,
            capExhausted: match.action == .fail ? nil : adaptation.exhausted)
        record.counted = plan.counted
        appendHistory(record)
        state.nextAttempt = max(state.nextAttempt, pod.attempt + 1)
        state.failures += 1
        if plan.counted { state.countedFailures += 1 }
        state.launchedAt = nil
        let what = "Pod \(pod.name) (index \(pod.index) attempt \(pod.attempt)) failed: \(classification.summary)"
        switch plan {
        case .fail(let message):
            reported.outcome = .failed
            recorded.append(reported)
            state.lastFailure = FailureMessage.truncated(message, limit: 256)
            table.markFailed(pod.index, state: state)
            event(.warning, "AttemptFailed", "\(what); the index fails")
            event(.warning, "IndexFailed", "Index \(pod.index) failed: \(message)")
        case .retry(let after, let at, let counted):
            reported.outcome = .retried
            reported.changes = Self.changes(from: ran, to: adaptation.next)
            recorded.append(reported)
            adopt(adaptation.next, into: &state)
            state.retryAfter = after > .zero ? at : nil
            let changes = adaptation.changes.isEmpty ? "" : " (\(adaptation.changes.joined(separator: "; ")))"
            state.lastFailure = (classification.failureClass?.rawValue ?? "failure") + changes
            table.states[pod.index] = state
            let when = after > .zero ? "retrying in \(FailureMessage.describe(after))" : "retrying now"
            let counting = counted ? "\(state.countedFailures) of \(spec.retryStrategy.attempts) attempts used" : "not counted"
            event(.warning, "AttemptFailed", "\(what); \(when) (\(counting), \(match.source))")
            for change in adaptation.changes { event(.normal, "Adapted", "Index \(pod.index): \(change)") }
            if let cap = adaptation.capReached { event(.normal, "AdaptationCapReached", "Index \(pod.index): \(cap)") }
        }
    }

    /// Records the attempt of a pod deleted because the job was suspended: uncounted, no
    /// rule applies, and the next attempt keeps the same resources.
    mutating func recordSuspended(_ pod: AttemptPod) {
        var record = attemptRecord(pod, nil)
        record.reason = "Suspended"
        record.counted = false
        appendHistory(record)
        recorded.append(RecordedAttempt(
            index: pod.index, attempt: pod.attempt, outcome: .suspended, waitSeconds: Self.waitSeconds(pod.pod, started: record.startTime)))
        var state = table.state(pod.index)
        state.nextAttempt = max(state.nextAttempt, pod.attempt + 1)
        state.launchedAt = nil
        table.states[pod.index] = state
    }

    /// Takes the adapted memory, cpu and capacity as the index's next-attempt state. Values
    /// equal to the template's are left out (nil: as the template says).
    private func adopt(_ next: AttemptResources, into state: inout IndexState) {
        let template = templateResources
        state.memory = next.memory == template.memory ? nil : next.memory
        state.cpu = next.cpu == template.cpu ? nil : next.cpu
        state.capacity = next.capacity == .unpinned || next.capacity == template.capacity ? nil : next.capacity.rawValue
    }

    /// What differs between the resources an attempt ran with and the next attempt's.
    static func changes(from ran: AttemptResources, to next: AttemptResources) -> [RecordedAttempt.Change] {
        var out: [RecordedAttempt.Change] = []
        if next.memoryRequest != ran.memoryRequest || next.memoryLimit != ran.memoryLimit { out.append(.memory) }
        if next.cpuRequest != ran.cpuRequest || next.cpuLimit != ran.cpuLimit { out.append(.cpu) }
        if next.capacity != ran.capacity { out.append(.capacity) }
        return out
    }

    /// Seconds from the pod's creation until it started; nil when either time is unknown.
    static func waitSeconds(_ pod: Pod, started: Date?) -> Double? {
        guard let created = pod.metadata.creationTimestamp, let started else { return nil }
        return max(0, started.timeIntervalSince(created))
    }

    // MARK: - History

    /// What the attempt ran with and how it ended.
    func attemptRecord(_ pod: AttemptPod, _ classification: Classification?) -> AttemptRecord {
        var record = AttemptRecord()
        record.index = pod.index
        record.attempt = pod.attempt
        record.pod = pod.name
        let node = pod.pod.spec.nodeName
        record.node = node
        let ran = AttemptResources.read(from: pod.pod.spec, container: spec.container, labels: labels)
        let nodeCapacity = labels.capacity(forValue: node.flatMap { input.nodeLabels[$0]?[labels.key] })
        let capacity = nodeCapacity == .unpinned ? ran.capacity : nodeCapacity
        record.capacityType = capacity == .unpinned ? nil : capacity.rawValue
        record.memory = ran.memory
        record.cpu = ran.cpu
        let main = spec.container ?? pod.pod.spec.containers.first?.name ?? ""
        let terminated = pod.pod.status.containerStatus(named: main)?.state.terminated
        record.startTime = terminated?.startedAt ?? pod.pod.status.startTime
        record.finishTime = terminated?.finishedAt ?? now
        if let classification {
            record.exitCode = classification.exitCode
            record.reason = classification.reason
            record.failureClass = classification.failureClass
            record.message = classification.message.isEmpty ? nil : classification.message
            record.counted = classification.succeeded ? nil : true
        }
        record.events = attemptEvents(pod.name)
        return record
    }

    /// The pod's warning events, de-duplicated with counts, the newest few kept.
    func attemptEvents(_ podName: String) -> [AttemptEvent] {
        AttemptEvent.merged(input.podEvents[podName] ?? [], messageLimit: input.configuration.eventMessageLimit,
                            keep: input.configuration.eventsPerAttempt)
    }

    /// Appends a record, dropping the oldest of its index beyond the per-index cap and the
    /// oldest overall beyond the total cap.
    mutating func appendHistory(_ record: AttemptRecord) {
        history.append(record)
        let perIndex = max(1, input.configuration.historyPerIndex)
        let ofIndex = history.indices.filter { history[$0].index == record.index }
        if ofIndex.count > perIndex { history.remove(at: ofIndex[0]) }
        let total = max(1, input.configuration.historyTotal)
        if history.count > total { history.removeFirst(history.count - total) }
    }

    /// The template's resources and capacity for the main container.
    var templateResources: AttemptResources {
        AttemptResources.read(from: spec.template.spec, container: spec.container, labels: labels)
    }
}
