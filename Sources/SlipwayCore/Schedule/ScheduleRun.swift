import Foundation
import KubeAPI
import SlipwayAPI

/// One decision in progress (the state ``ScheduleDecider/decide(_:)`` threads through its
/// steps).
struct ScheduleRun {
    let input: ScheduleInput
    let settings: ScheduleSettings
    var decision: ScheduleDecision
    var name: String { input.schedule.metadata.name ?? "" }
    var status: JobScheduleStatus {
        get { decision.status }
        set { decision.status = newValue }
    }
    var observed: [String: ObservedRun] = [:]

    init(input: ScheduleInput, settings: ScheduleSettings, decision: ScheduleDecision) {
        self.input = input
        self.settings = settings
        self.decision = decision
        for run in input.runs { observed[run.name] = run }
    }

    /// The runs not finished that the concurrency policy weighs: scheduled and manual ones
    /// (a backfill has its own throttle).
    var activeRuns: [ObservedRun] {
        input.runs.filter { $0.backfill == nil && $0.outcome == nil && !$0.deleting && !decision.delete.contains($0.name) }
            .sorted { ($0.scheduledTime ?? .distantPast, $0.name) < ($1.scheduledTime ?? .distantPast, $1.name) }
    }

    static func state(_ outcome: ObservedRun.Outcome?) -> ScheduledRunState {
        switch outcome {
        case .succeeded: .succeeded
        case .failed: .failed
        case nil: .active
        }
    }

    // MARK: - Steps

    /// Brings each record up to date with the cache; a record whose run disappeared after it
    /// was seen becomes Deleted; a run the records lack (status lost) is recorded.
    mutating func observeRuns() {
        var known = Set<String>()
        status.recentRuns = status.recentRuns.map { record in
            var record = record
            known.insert(record.name)
            if let run = observed[record.name] {
                record.state = Self.state(run.outcome)
            } else if record.state == .active {
                record.state = .deleted
            }
            return record
        }
        for run in input.runs where !known.contains(run.name) && run.backfill == nil {
            var record = ScheduledRunRecord()
            record.name = run.name
            record.scheduledTime = run.scheduledTime
            record.state = Self.state(run.outcome)
            status.recentRuns.append(record)
        }
        // A create the last decision asked for that the cache does not show: ask again.
        for record in status.recentRuns where record.state == .creating {
            guard let time = record.scheduledTime else { continue }
            let slot = ScheduleSlot(time: time, zone: settings.zone)
            decision.create.append(ScheduleRunRenderer.render(input.schedule, slot: slot, name: record.name, manual: record.manual))
        }
    }

    /// Deletes the oldest finished runs beyond the history limits, never a running one nor a
    /// backfill's (a backfill's runs stay for inspection until the schedule is deleted).
    mutating func applyHistoryLimits() {
        for (outcome, limit) in [(ObservedRun.Outcome.succeeded, settings.spec.successfulJobsHistoryLimit), (.failed, settings.spec.failedJobsHistoryLimit)] {
            let finished = input.runs.filter { $0.outcome == outcome && !$0.deleting && $0.backfill == nil }
                .sorted { ($0.scheduledTime ?? .distantPast, $0.name) < ($1.scheduledTime ?? .distantPast, $1.name) }
            for run in finished.dropLast(max(0, limit)) {
                decision.delete.append(run.name)
                decision.events.append(ScheduleEvent(warning: false, reason: .deleted, message: "Deleted \(run.name): beyond the history limit of \(limit)"))
            }
        }
    }

    /// A new value of the trigger annotation creates one run now (whatever the concurrency
    /// policy and suspend: it is an explicit request).
    mutating func handleTrigger() {
        guard let trigger = input.schedule.metadata.annotations[JobSchedule.triggerAnnotation], !trigger.isEmpty,
              trigger != status.lastTrigger else { return }
        status.lastTrigger = trigger
        let slot = ScheduleSlot(time: input.now, zone: settings.zone)
        let runName = slot.manualRunName(schedule: name)
        create(slot: slot, name: runName, manual: true)
        decision.events.append(ScheduleEvent(warning: false, reason: .triggered, message: "Created \(runName) on trigger \(trigger)"))
    }

    mutating func create(slot: ScheduleSlot, name runName: String, manual: Bool) {
        var record = ScheduledRunRecord()
        record.name = runName
        record.scheduledTime = slot.time
        record.state = .creating
        record.manual = manual
        status.recentRuns.append(record)
        decision.create.append(ScheduleRunRenderer.render(input.schedule, slot: slot, name: runName, manual: manual))
        guard !manual else { return }
        status.lastScheduleTime = max(status.lastScheduleTime ?? slot.time, slot.time)
        decision.events.append(ScheduleEvent(warning: false, reason: .created, message: "Created \(runName) for \(slot.parameters["timestamp"] ?? "")"))
    }
}
