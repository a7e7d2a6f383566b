import Foundation
import KubeAPI
import SlipwayAPI

/// What the schedule controller observed: the schedule, the runs it owns and the time.
public struct ScheduleInput: Sendable {
    public var schedule: JobSchedule
    public var runs: [ObservedRun]
    public var now: Date

    public init(schedule: JobSchedule, runs: [ObservedRun], now: Date) {
        self.schedule = schedule
        self.runs = runs
        self.now = now
    }
}

/// A job (of either kind) the schedule owns, as the cache shows it.
public struct ObservedRun: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable { case succeeded, failed }
    public var name: String
    /// From the run's scheduled-time annotation.
    public var scheduledTime: Date?
    /// nil while it runs.
    public var outcome: Outcome?
    /// Its deletion has begun (a replaced run, a foreground delete).
    public var deleting: Bool
    /// The id of the backfill that created it (its label); nil for a scheduled or manual run.
    public var backfill: String?

    public init(name: String, scheduledTime: Date?, outcome: Outcome? = nil, deleting: Bool = false, backfill: String? = nil) {
        self.name = name
        self.scheduledTime = scheduledTime
        self.outcome = outcome
        self.deleting = deleting
        self.backfill = backfill
    }
}

/// What to do: write `status` first, then delete, then create, then record the events; look
/// again at `requeueAt`. Every create is idempotent by name (AlreadyExists is success).
public struct ScheduleDecision: Sendable {
    public var status: JobScheduleStatus
    /// Whole objects (BatchJob or SparkJob) to create, oldest slot first.
    public var create: [JSONObject] = []
    /// Names of runs to delete (history limits, Replace).
    public var delete: [String] = []
    public var events: [ScheduleEvent] = []
    public var requeueAt: Date?

    public init(status: JobScheduleStatus) { self.status = status }
}

/// An event on the schedule.
public struct ScheduleEvent: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        case created = "RunCreated"
        case missed = "MissedSchedule"
        case forbidden = "ConcurrencyForbid"
        case replaced = "RunReplaced"
        case deleted = "RunDeleted"
        case triggered = "Triggered"
        case backfill = "Backfill"
        case invalid = "InvalidSchedule"
    }
    public var warning: Bool
    public var reason: Reason
    public var message: String
}
