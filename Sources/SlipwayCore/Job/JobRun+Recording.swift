import Foundation
import KubeAPI
import SlipwayAPI

// MARK: - Recording finished attempts

extension JobRun {
    /// Records every attempt that ended and is not yet in status, lowest unit and attempt
    /// first. A pod whose attempt ended but that still holds resources (stuck past the
    /// start timeout, its node gone, too few executors) is deleted as well.
    mutating func recordFinishedAttempts() {
        for attempt in attempts where attempt.unit < table.size && !table.isRecorded(unit: attempt.unit, attempt: attempt.attempt) {
            guard let outcome = Kind.outcome(of: attempt, in: &self) else { continue }
            if attempt.needsDeleting { deletePod(attempt) }
            record(attempt, outcome)
        }
    }

    /// Puts one ended attempt into status: history, then the unit's new state — succeeded,
    /// failed for good, or retried with what it learned after its backoff.
    mutating func record(_ attempt: ObservedAttempt, _ outcome: AttemptOutcome<Kind.OutcomeDetail>) {
        let classification = outcome.classification
        var record = Kind.record(attempt, outcome: outcome, in: self)
        var reported = RecordedAttempt(
            unit: attempt.unit, attempt: attempt.attempt, outcome: .succeeded, failureClass: classification.failureClass,
            waitSeconds: Self.waitSeconds(attempt))
        guard !classification.succeeded else {
            appendHistory(record)
            table.markSucceeded(attempt.unit)
            recorded.append(reported)
            return
        }
        let state = table.state(attempt.unit)
        let match = RuleMatcher.action(for: classification, rules: settings.retryStrategy.rules)
        let adaptation = Kind.adapt(after: outcome, of: attempt, state: state, in: self)
        let plan = RetryPlanner.next(
            after: classification, match: match, countedFailures: state.countedFailures, attempts: settings.attempts,
            backoff: settings.retryStrategy.backoff, finishedAt: now, capExhausted: match.action == .fail ? nil : adaptation.exhausted)
        record.counted = plan.counted
        let what = Kind.describeFailure(of: attempt, outcome)
        let label = Kind.unitLabel(attempt.unit).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        switch plan {
        case .fail(let message):
            // What a retry of the failed job (spec.retryGeneration) will run with.
            if adaptation.exhausted == nil { record.adaptations = adaptation.changes }
            reported.outcome = .failed
            recorded.append(reported)
            // What it learned stays: a retry of the failed job (spec.retryGeneration) runs with it.
            var failed = Self.advanced(adaptation.exhausted == nil ? adaptation.adapted : state, past: attempt.attempt, counted: true)
            failed.lastFailure = FailureMessage.truncated(message, limit: 256)
            failureMessages[attempt.unit] = message
            table.markFailed(attempt.unit, state: failed)
            appendHistory(record)
            event(.warning, .attemptFailed, "\(what); \(Kind.unitFailsPhrase)")
            if let label { event(.warning, .indexFailed, "\(label) failed: \(message)") }
        case .retry(let after, let at, let counted):
            record.adaptations = adaptation.changes
            appendHistory(record)
            reported.outcome = .retried
            reported.changes = adaptation.kinds
            recorded.append(reported)
            var next = Self.advanced(adaptation.adapted, past: attempt.attempt, counted: counted)
            next.retryAfter = after > .zero ? at : nil
            next.lastFailure = Kind.lastFailure(outcome, changes: adaptation.changes)
            table.states[attempt.unit] = next
            let when = after > .zero ? "retrying in \(FailureMessage.describe(after))" : "retrying now"
            let counting = counted ? "\(next.countedFailures) of \(settings.attempts) attempts used" : "not counted"
            event(.warning, .attemptFailed, "\(what); \(when) (\(counting), \(match.source))")
            let prefix = label.map { "\($0): " } ?? ""
            for change in adaptation.changes { event(.normal, .adapted, prefix + change) }
            if let cap = adaptation.capReached { event(.normal, .adaptationCapReached, prefix + cap) }
        }
    }

    /// Records the attempt of a pod deleted because the job was suspended: uncounted, no
    /// rule applies, and the next attempt keeps the same settings.
    mutating func recordSuspended(_ attempt: ObservedAttempt) {
        var record = Kind.record(attempt, outcome: nil, in: self)
        record.reason = "Suspended"
        record.counted = false
        appendHistory(record)
        recorded.append(RecordedAttempt(unit: attempt.unit, attempt: attempt.attempt, outcome: .suspended, waitSeconds: Self.waitSeconds(attempt)))
        var state = table.state(attempt.unit)
        state.attempt = max(state.attempt, attempt.attempt + 1)
        state.launchedAt = nil
        state.retryAfter = nil
        state.forgetEndedAttempt()
        table.states[attempt.unit] = state
    }

    /// `state` after a failed `attempt`: the next attempt number, one more failure (counted
    /// or not), nothing launched.
    static func advanced(_ state: Kind.UnitState, past attempt: Int, counted: Bool) -> Kind.UnitState {
        var next = state
        next.attempt = max(state.attempt, attempt + 1)
        next.failures += 1
        if counted { next.countedFailures += 1 }
        next.launchedAt = nil
        next.retryAfter = nil
        next.forgetEndedAttempt()
        return next
    }

    /// Seconds from the pod's creation until its main container started; nil when either
    /// time is unknown.
    static func waitSeconds(_ attempt: ObservedAttempt) -> Double? {
        let pod = attempt.pod
        let states = pod.status.containerStatuses.map(\.state)
        let started = states.lazy.compactMap { Date.known($0.running?.startedAt) ?? Date.known($0.terminated?.startedAt) }.first
            ?? pod.status.startTime
        guard let created = pod.metadata.creationTimestamp, let started else { return nil }
        return max(0, started.timeIntervalSince(created))
    }

    // MARK: - History

    /// The warning events of `pods`, de-duplicated with counts, the newest few kept.
    public func attemptEvents(_ pods: [Pod], excluding noise: (AttemptEvent) -> Bool = { _ in false }) -> [AttemptEvent] {
        let events = pods.flatMap { input.podEvents[$0.metadata.name ?? ""] ?? [] }.filter { !noise($0) }
        return AttemptEvent.merged(events, messageLimit: configuration.eventMessageLimit, keep: configuration.eventsPerAttempt)
    }

    /// Fills in what every record has: times, exit code, class, reason, message, counted.
    public func fillRecord(_ record: inout Kind.Status.Record, pod: Pod, container: String, classification: Classification?) {
        let terminated = pod.status.containerStatus(named: container)?.state.terminated
        record.startTime = Date.known(terminated?.startedAt) ?? pod.status.startTime
        record.finishTime = Date.known(terminated?.finishedAt) ?? now
        guard let classification else { return }
        record.exitCode = classification.exitCode
        record.reason = classification.reason
        record.failureClass = classification.failureClass
        record.message = classification.message.isEmpty ? nil : classification.message
        record.counted = classification.succeeded ? nil : true
    }

    /// Appends a record (replacing one of the same attempt) at its place in `history`,
    /// sorted by (unit, attempt); drops the oldest of its unit beyond the per-unit cap and
    /// keeps the total cap (``trimHistory(to:)``).
    mutating func appendHistory(_ record: Kind.Status.Record) {
        let (unit, attempt) = (record.unit, record.attempt)
        history.removeAll { $0.unit == unit && $0.attempt == attempt }
        let place = history.firstIndex { ($0.unit, $0.attempt) > (unit, attempt) } ?? history.endIndex
        history.insert(record, at: place)
        let limits = Kind.historyLimits(configuration)
        if let perUnit = limits.perUnit {
            let ofUnit = history.indices.filter { history[$0].unit == unit }
            for i in ofUnit.dropLast(max(1, perUnit)).reversed() { history.remove(at: i) }
        }
        trimHistory(to: max(1, limits.total))
    }

    /// Drops records beyond `total`, least telling first: an older attempt of a unit (the
    /// earliest finished first), then the last attempt of a unit that did not fail for good,
    /// then the last attempt of a failed unit (the highest unit first), which goes into
    /// `status.failureSummary` by class: every failed unit keeps its last failure, in
    /// history or in the summary.
    mutating func trimHistory(to total: Int) {
        while history.count > total {
            let units = history.map(\.unit)
            let attempts = history.map(\.attempt)
            var newest: [Int: Int] = [:]
            for i in units.indices { newest[units[i]] = max(newest[units[i]] ?? attempts[i], attempts[i]) }
            let tiers = units.indices.map { i in newest[units[i]] != attempts[i] ? 0 : (table.failed.contains(units[i]) ? 2 : 1) }
            let lowest = tiers.min() ?? 0
            let candidates = tiers.indices.filter { tiers[$0] == lowest }
            let victim: Int
            if lowest == 2 {
                victim = candidates.max { units[$0] < units[$1] } ?? 0
            } else {
                let finished = candidates.map { (index: $0, time: history[$0].finishTime ?? .distantPast) }
                victim = finished.min { a, b in
                    a.time != b.time ? a.time < b.time : (units[a.index], attempts[a.index]) < (units[b.index], attempts[b.index])
                }?.index ?? 0
            }
            let dropped = history.remove(at: victim)
            if lowest == 2 { summarise(unit: units[victim], failureClass: dropped.failureClass) }
        }
    }

    /// Counts a failed unit whose last record history dropped, for `status.failureSummary`.
    mutating func summarise(unit: Int, failureClass: FailureClass?) {
        var entry = summary[failureClass] ?? FailureSummaryEntry()
        entry.indexes.insert(unit)
        entry.count += 1
        summary[failureClass] = entry
    }
}

/// One class of `status.failureSummary` while a decision runs: its units (the ranges the
/// text kept, when it was cut) and their count.
struct FailureSummaryEntry: Sendable {
    var indexes = IndexRanges()
    var count = 0
    /// Ranges kept in the text, at most (then `,…`): the summary stays small whatever the job's size.
    static let rangesLimit = 20

    init() {}

    init(_ stored: FailureSummary) {
        let text = stored.indexes.hasSuffix(",…") ? String(stored.indexes.dropLast(2)) : stored.indexes
        indexes = IndexRanges(parsing: text) ?? IndexRanges()
        count = stored.count
    }

    /// The summaries to store, by class name.
    static func stored(_ entries: [FailureClass?: FailureSummaryEntry]) -> [FailureSummary] {
        entries.sorted { ($0.key?.rawValue ?? "") < ($1.key?.rawValue ?? "") }.map { key, entry in
            FailureSummary(failureClass: key, indexes: entry.indexes.description(limit: rangesLimit), count: entry.count)
        }
    }
}

extension Date {
    /// `date`, or nil when it is the zero time (1970-01-01) a container runtime reports for
    /// a container that never started (terminated StartError): records never show 1970.
    static func known(_ date: Date?) -> Date? {
        guard let date, date.timeIntervalSince1970 > 0 else { return nil }
        return date
    }
}
