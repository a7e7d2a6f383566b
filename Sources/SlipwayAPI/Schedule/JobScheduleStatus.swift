import Foundation
import KubeAPI

/// What the schedule controller observed and decided.
public struct JobScheduleStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var observedGeneration: Int64? { get { self["observedGeneration"] } set { self["observedGeneration"] = newValue } }
    /// Every slot at or before this time has been decided (run, missed or skipped): the
    /// cursor that keeps a run deleted by hand from being created again.
    public var scheduledThrough: Date? { get { self["scheduledThrough"] } set { self["scheduledThrough"] = newValue } }
    /// The slot of the newest run created.
    public var lastScheduleTime: Date? { get { self["lastScheduleTime"] } set { self["lastScheduleTime"] = newValue } }
    public var nextScheduleTime: Date? { get { self["nextScheduleTime"] } set { self["nextScheduleTime"] = newValue } }
    /// Names of the runs not finished.
    public var active: [String] { get { self[list: "active"] } set { self[list: "active"] = newValue } }
    /// How many runs are not finished (a printer column).
    public var activeCount: Int { get { self["activeCount"] ?? 0 } set { self["activeCount"] = newValue } }
    public var lastSuccessfulRun: String? { get { self["lastSuccessfulRun"] } set { self["lastSuccessfulRun"] = newValue } }
    public var lastFailedRun: String? { get { self["lastFailedRun"] } set { self["lastFailedRun"] = newValue } }
    /// The newest runs (bounded, newest last), kept after history limits delete the objects.
    public var recentRuns: [ScheduledRunRecord] { get { self[list: "recentRuns"] } set { self[list: "recentRuns"] = newValue } }
    /// The trigger annotation value last acted on.
    public var lastTrigger: String? { get { self["lastTrigger"] } set { self["lastTrigger"] = newValue } }
    /// Slots missed in all (deadline passed, beyond the catch-up bound).
    public var missedRuns: Int { get { self["missedRuns"] ?? 0 } set { self["missedRuns"] = newValue } }
    /// The progress of the current (or last) backfill.
    public var backfill: BackfillStatus? { get { self["backfill"] } set { self["backfill"] = newValue } }
    /// One sentence: why the schedule is where it is (an invalid spec says what to fix).
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
}

/// One run the schedule created.
public struct ScheduledRunRecord: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }
    public var scheduledTime: Date? { get { self["scheduledTime"] } set { self["scheduledTime"] = newValue } }
    public var state: ScheduledRunState {
        get { (self["state"] as String?).flatMap(ScheduledRunState.init(rawValue:)) ?? .creating }
        set { self["state"] = newValue.rawValue }
    }
    /// Created by the trigger annotation rather than the schedule.
    public var manual: Bool { get { self["manual"] ?? false } set { self["manual"] = newValue } }
}

/// Where a run is, as its schedule saw it last.
public enum ScheduledRunState: String, Sendable, Hashable, CaseIterable {
    /// Decided, not yet seen in the cache (re-created if a crash lost the create).
    case creating = "Creating"
    case active = "Active"
    case succeeded = "Succeeded"
    case failed = "Failed"
    /// Gone before it finished: deleted by hand or replaced; never created again.
    case deleted = "Deleted"
}

/// How far a backfill got.
public struct BackfillStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var id: String { get { self["id"] ?? "" } set { self["id"] = newValue } }
    /// Every slot of the range up to this time has its run created.
    public var createdThrough: Date? { get { self["createdThrough"] } set { self["createdThrough"] = newValue } }
    public var created: Int { get { self["created"] ?? 0 } set { self["created"] = newValue } }
    /// Slots whose runs were asked for and not yet seen (created again after a crash).
    public var pendingSlots: [Date] { get { self[list: "pendingSlots"] } set { self[list: "pendingSlots"] = newValue } }
    public var active: Int { get { self["active"] ?? 0 } set { self["active"] = newValue } }
    /// Every slot's run is created and none is still running.
    public var complete: Bool { get { self["complete"] ?? false } set { self["complete"] = newValue } }
}
