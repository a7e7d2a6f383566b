import Foundation

extension CronSchedule {
    /// How far ahead ``next(after:in:)`` looks before it gives up: beyond every satisfiable
    /// expression (Feb 29 on a given weekday recurs within 28 years).
    static let searchYears = 30

    /// The first instant strictly after `instant` at which the schedule fires in `zone`, or
    /// nil if none within ``searchYears``.
    ///
    /// Daylight-saving transitions, as Kubernetes CronJob (robfig/cron v3) where it is
    /// sensible, and named runs where it is not:
    /// - clocks go forward: a wall-clock time the clocks skip does not fire that day (the
    ///   `30 2 * * *` run of the spring-forward day in New York does not happen), as CronJob;
    /// - clocks go back: a wall-clock time shown twice fires once, at its first occurrence.
    ///   CronJob fires twice; a Slipway run is named by its wall-clock minute, and a daily
    ///   job must not run twice in one day.
    public func next(after instant: Date, in zone: TimeZone) -> Date? {
        var wall = WallClock(instant, in: zone)
        let limit = WallClock(minutes: wall.minutes + Int64(Self.searchYears) * 366 * 1440)
        while let candidate = nextWall(after: wall, limit: limit) {
            if let fires = candidate.firstInstant(in: zone), fires > instant { return fires }
            wall = candidate
        }
        return nil
    }

    /// The wall-clock minute of a firing instant, the slot it names.
    public static func slot(of instant: Date, in zone: TimeZone) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let wall = WallClock(instant, in: zone)
        let date = wall.date
        return (date.year, date.month, date.day, wall.hour, wall.minute)
    }

    /// The next matching wall-clock minute after `wall`, skipping whole months, days and
    /// hours that cannot match.
    func nextWall(after wall: WallClock, limit: WallClock) -> WallClock? {
        var current = WallClock(minutes: wall.minutes + 1)
        while current < limit {
            let (year, month, day) = current.date
            if !months.contains(month) {
                current = month == 12 ? WallClock(year: year + 1, month: 1, day: 1) : WallClock(year: year, month: month + 1, day: 1)
                continue
            }
            if !matchesDay(day: day, month: month, weekday: current.weekday) {
                current = WallClock(minutes: (current.dayNumber + 1) * 1440)
                continue
            }
            guard let hour = hours.first(atLeast: current.hour) else {
                current = WallClock(minutes: (current.dayNumber + 1) * 1440)
                continue
            }
            if hour != current.hour {
                current = WallClock(minutes: current.dayNumber * 1440 + Int64(hour) * 60)
            }
            guard let minute = minutes.first(atLeast: current.minute) else {
                current = WallClock(minutes: current.dayNumber * 1440 + Int64(current.hour + 1) * 60)
                continue
            }
            return WallClock(minutes: current.dayNumber * 1440 + Int64(current.hour) * 60 + Int64(minute))
        }
        return nil
    }
}
