import Foundation

/// A local wall-clock minute (what a clock on the wall in a time zone shows), counted in
/// minutes from 1970-01-01 00:00 of that clock, with the civil-calendar arithmetic the cron
/// evaluator needs. Pure proleptic Gregorian arithmetic (Howard Hinnant's `days_from_civil`),
/// so evaluation never depends on a `Calendar`'s locale.
struct WallClock: Sendable, Hashable, Comparable {
    var minutes: Int64

    init(minutes: Int64) { self.minutes = minutes }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        minutes = (Self.days(year: year, month: month, day: day) * 24 + Int64(hour)) * 60 + Int64(minute)
    }

    static func < (lhs: WallClock, rhs: WallClock) -> Bool { lhs.minutes < rhs.minutes }

    var minute: Int { Int(minutes.floorMod(60)) }
    var hour: Int { Int(minutes.floorDiv(60).floorMod(24)) }
    var dayNumber: Int64 { minutes.floorDiv(1440) }
    /// 0 = Sunday (1970-01-01 was a Thursday).
    var weekday: Int { Int((dayNumber + 4).floorMod(7)) }
    var date: (year: Int, month: Int, day: Int) { Self.civil(days: dayNumber) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = y.floorDiv(400)
        let yoe = y - era * 400
        let m = Int64(month), d = Int64(day)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z.floorDiv(146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    // MARK: - Time zones

    /// The wall-clock minute an instant shows in `zone` (seconds dropped).
    init(_ instant: Date, in zone: TimeZone) {
        let local = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(zone.secondsFromGMT(for: instant))
        minutes = local.floorDiv(60)
    }

    /// The first instant this wall-clock minute is shown in `zone`; nil when the clocks skip
    /// it (a spring-forward gap). In a fall-back overlap the earlier of the two.
    func firstInstant(in zone: TimeZone) -> Date? {
        let asUTC = minutes * 60
        var offsets = Set<Int>()
        for probe in [-86_400, -7_200, 0, 7_200, 86_400] as [Int64] {
            offsets.insert(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(asUTC + probe))))
        }
        let candidates = offsets.map { Date(timeIntervalSince1970: TimeInterval(asUTC - Int64($0))) }
            .filter { WallClock($0, in: zone) == self }
        return candidates.min()
    }
}

extension Int64 {
    func floorDiv(_ divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
    func floorMod(_ divisor: Int64) -> Int64 { self - floorDiv(divisor) * divisor }
}
