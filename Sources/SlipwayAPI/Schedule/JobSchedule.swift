import Foundation
import KubeAPI

/// Creates BatchJobs or SparkJobs on a cron schedule, one run per slot, named by the slot so
/// that no crash, restart or second replica creates a run twice. See docs/schedules.md.
public struct JobSchedule: KubeObject {
    public static let resource = APIResource(group: "slipway.dev", version: "v1alpha1", kind: "JobSchedule", plural: "jobschedules", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: JobScheduleSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
    public var status: JobScheduleStatus { get { self[object: "status"] } set { self[object: "status"] = newValue } }

    /// The annotation that asks for a run now ("run now"): any new value creates one run with
    /// the schedule-time parameters of the moment it is seen. `kubectl annotate jobschedule
    /// nightly slipway.dev/trigger=$(date +%s) --overwrite`.
    public static let triggerAnnotation = "slipway.dev/trigger"
    /// Labels every run carries: the schedule's name and the slot (`yyyymmddhhmm`, wall clock
    /// of the schedule's time zone).
    public static let scheduleLabel = "slipway.dev/schedule"
    public static let slotLabel = "slipway.dev/schedule-slot"
    /// The run's scheduled time, RFC 3339 (an annotation: labels cannot hold `:`).
    public static let scheduledTimeAnnotation = "slipway.dev/scheduled-time"
    /// The label of a backfill's runs: the backfill's id.
    public static let backfillLabel = "slipway.dev/backfill"
}

/// What the user asks for.
public struct JobScheduleSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// Five-field cron syntax or a descriptor (`@daily`, …).
    public var schedule: String { get { self["schedule"] ?? "" } set { self["schedule"] = newValue } }
    /// An IANA time zone name; UTC when unset.
    public var timeZone: String? { get { self["timeZone"] } set { self["timeZone"] = newValue } }
    public var suspend: Bool { get { self["suspend"] ?? false } set { self["suspend"] = newValue } }
    public var concurrencyPolicy: ConcurrencyPolicy {
        get { (self["concurrencyPolicy"] as String?).flatMap(ConcurrencyPolicy.init(rawValue:)) ?? .allow }
        set { self["concurrencyPolicy"] = newValue.rawValue }
    }
    /// A slot not started within this many seconds of its time is missed; nil: no deadline
    /// beyond ``catchUp``.
    public var startingDeadlineSeconds: Int? { get { self["startingDeadlineSeconds"] } set { self["startingDeadlineSeconds"] = newValue } }
    /// After downtime, at most this many missed slots are run (the newest ones, created
    /// oldest first); the older ones are recorded as missed. Default 1, as CronJob.
    public var catchUp: Int { get { self["catchUp"] ?? 1 } set { self["catchUp"] = newValue } }
    public var successfulJobsHistoryLimit: Int { get { self["successfulJobsHistoryLimit"] ?? 3 } set { self["successfulJobsHistoryLimit"] = newValue } }
    public var failedJobsHistoryLimit: Int { get { self["failedJobsHistoryLimit"] ?? 1 } set { self["failedJobsHistoryLimit"] = newValue } }
    public var jobTemplate: ScheduledJobTemplate { get { self[object: "jobTemplate"] } set { self[object: "jobTemplate"] = newValue } }
    /// A request to run the slots of a past range; nil: none.
    public var backfill: Backfill? { get { self["backfill"] } set { self["backfill"] = newValue } }
}

/// Runs every slot of the schedule in `[from, to]`, at most `maxActive` not finished at once.
/// A new `id` starts a new backfill (the status keeps the progress of the current one).
public struct Backfill: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// Names the request and its runs (`<schedule>-<id>-<yyyymmddhhmm>`): a lower-case DNS label.
    public var id: String { get { self["id"] ?? "" } set { self["id"] = newValue } }
    public var from: Date? { get { self["from"] } set { self["from"] = newValue } }
    public var to: Date? { get { self["to"] } set { self["to"] = newValue } }
    /// Backfill runs not finished at once (default 3).
    public var maxActive: Int { get { self["maxActive"] ?? 3 } set { self["maxActive"] = newValue } }
}

/// `Allow` runs overlap; `Forbid` creates no run while one is active (a slot that came due
/// meanwhile runs when it ends, if still within the deadline and catch-up bound); `Replace`
/// deletes the active runs and creates the new one.
public enum ConcurrencyPolicy: String, Sendable, Hashable, CaseIterable {
    case allow = "Allow"
    case forbid = "Forbid"
    case replace = "Replace"
}

/// The job each slot creates: its kind (`BatchJob` or `SparkJob`), labels, annotations and
/// spec as the kind's own.
public struct ScheduledJobTemplate: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public static let kinds = [BatchJob.resource.kind, SparkJob.resource.kind]
    public var kind: String { get { self["kind"] ?? BatchJob.resource.kind } set { self["kind"] = newValue } }
    public var labels: [String: String] { get { self[map: "labels"] } set { self[map: "labels"] = newValue } }
    public var annotations: [String: String] { get { self[map: "annotations"] } set { self[map: "annotations"] = newValue } }
    /// The job's spec, schema-checked as the kind's when the run is created.
    public var spec: JSONObject { get { object["spec"]?.objectValue ?? JSONObject() } set { object["spec"] = .object(newValue) } }
}
