import Foundation
import KubeAPI

/// One scheduled time of a schedule, in its time zone: the run's name, its labels and the
/// values of `$(schedule.…)`.
public struct ScheduleSlot: Sendable, Hashable, Comparable {
    public let time: Date
    public let zone: TimeZone

    public init(time: Date, zone: TimeZone) {
        self.time = time
        self.zone = zone
    }

    public static func < (lhs: ScheduleSlot, rhs: ScheduleSlot) -> Bool { lhs.time < rhs.time }

    private var wall: (year: Int, month: Int, day: Int, hour: Int, minute: Int) { CronSchedule.slot(of: time, in: zone) }

    /// `yyyymmddhhmm` of the wall clock: what names a run. Two instants with the same wall
    /// clock minute (a fall-back overlap) name the same run, so it runs once.
    public var compact: String {
        let w = wall
        return String(format: "%04d%02d%02d%02d%02d", w.year, w.month, w.day, w.hour, w.minute)
    }

    /// `$(schedule.date)` `YYYY-MM-DD`, `$(schedule.time)` `HH:MM`, `$(schedule.timestamp)`
    /// RFC 3339 with the zone's offset, `$(schedule.slot)` `yyyymmddhhmm`.
    public var parameters: [String: String] {
        let w = wall
        let offset = zone.secondsFromGMT(for: time)
        let zoneText = offset == 0 ? "Z" : (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return [
            "date": String(format: "%04d-%02d-%02d", w.year, w.month, w.day),
            "time": String(format: "%02d:%02d", w.hour, w.minute),
            "timestamp": String(format: "%04d-%02d-%02dT%02d:%02d:00", w.year, w.month, w.day, w.hour, w.minute) + zoneText,
            "slot": compact,
        ]
    }

    /// The run's name, `<schedule>-<yyyymmddhhmm>`, cut and hashed (``BoundedName``) when the
    /// schedule's name is long.
    public func runName(schedule: String) -> String {
        BoundedName.fit(schedule, suffix: "-\(compact)", maxLength: Self.runNameMaxLength)
    }

    /// A manual run's name, `<schedule>-m<yyyymmddhhmmss>` (seconds, so two triggers a
    /// minute apart do not collide with each other or with a scheduled run).
    public func manualRunName(schedule: String) -> String {
        let seconds = Int64(time.timeIntervalSince1970.rounded(.down)).floorMod(60)
        return BoundedName.fit(schedule, suffix: "-m\(compact)\(String(format: "%02d", seconds))", maxLength: Self.runNameMaxLength)
    }

    /// A run's name is a valid label value, so the labels naming it are exact (the jobs cut
    /// and hash their own derived names).
    public static let runNameMaxLength = BoundedName.labelMaxLength

    /// `text` with `$(schedule.NAME)` replaced by ``parameters``; other text as written.
    public func substitute(_ text: String) -> String {
        guard text.contains("$(schedule.") else { return text }
        var result = text
        for (name, value) in parameters { result = result.replacingOccurrences(of: "$(schedule.\(name))", with: value) }
        return result
    }
}
