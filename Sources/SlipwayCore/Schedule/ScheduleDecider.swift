import Foundation
import KubeAPI
import SlipwayAPI

/// The schedule's rules in one pure function: which slots came due, which run, which are
/// missed, which runs to delete, and the status. No IO and no clock (`input.now`).
///
/// Exactly once: a run is named by its slot (``ScheduleSlot/runName(schedule:)``) and the
/// status's cursor (`scheduledThrough`) moves past every slot decided, written before the
/// creates. A crash after the status write and before a create leaves a record in state
/// `Creating`, which the next decision creates again (AlreadyExists is success); a crash
/// before the status write decides the same slots again under the same names. A run that was
/// seen and then disappears is recorded `Deleted` and never created again.
public enum ScheduleDecider {
    /// Records kept in `status.recentRuns` (runs not finished are always kept).
    public static let recentRunsLimit = 20
    /// Slots enumerated at most in one decision; a longer outage counts the rest as missed.
    static let enumerationLimit = 10_000

    public static func decide(_ input: ScheduleInput) -> ScheduleDecision {
        let schedule = input.schedule
        var decision = ScheduleDecision(status: schedule.status)
        decision.status.observedGeneration = schedule.metadata.generation
        let settings: ScheduleSettings
        do {
            settings = try ScheduleSettings(schedule.spec)
        } catch {
            decision.status.message = error.message
            decision.status.nextScheduleTime = nil
            if schedule.status.message != error.message {
                decision.events.append(ScheduleEvent(warning: true, reason: .invalid, message: error.message))
            }
            return decision
        }
        var run = ScheduleRun(input: input, settings: settings, decision: decision)
        run.observeRuns()
        run.applyHistoryLimits()
        run.handleTrigger()
        run.scheduleDueSlots()
        run.runBackfill()
        run.finishStatus()
        return run.decision
    }
}

/// A spec made usable: the parsed schedule, the zone and the bounds. Fails with a message
/// naming the field.
struct ScheduleSettings {
    struct Invalid: Error { let message: String }
    let cron: CronSchedule
    let zone: TimeZone
    let spec: JobScheduleSpec

    init(_ spec: JobScheduleSpec) throws(Invalid) {
        do {
            cron = try CronSchedule(parsing: spec.schedule)
        } catch {
            throw Invalid(message: "spec.schedule: \(error.description)")
        }
        guard let zone = TimeZone(identifier: spec.timeZone ?? "UTC") else {
            throw Invalid(message: "spec.timeZone: \"\(spec.timeZone ?? "")\" is not an IANA time zone name (e.g. Europe/Berlin)")
        }
        self.zone = zone
        guard spec.catchUp >= 1 else { throw Invalid(message: "spec.catchUp: must be at least 1, is \(spec.catchUp)") }
        guard ScheduledJobTemplate.kinds.contains(spec.jobTemplate.kind) else {
            throw Invalid(message: "spec.jobTemplate.kind: must be one of \(ScheduledJobTemplate.kinds.joined(separator: ", ")), is \(spec.jobTemplate.kind)")
        }
        if let backfill = spec.backfill, let from = backfill.from, let to = backfill.to, from > to {
            throw Invalid(message: "spec.backfill: from must not be after to")
        }
        self.spec = spec
    }
}
