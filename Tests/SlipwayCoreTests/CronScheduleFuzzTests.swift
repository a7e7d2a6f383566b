import Foundation
@testable import SlipwayCore
import Testing

/// Random expressions from random pieces: parsing never traps, and for every expression that
/// parses, `next(after:)` strictly increases, fires on a matching wall-clock minute, and in
/// UTC agrees with a minute-by-minute scan.
@Suite("CronSchedule fuzz")
struct CronScheduleFuzzTests {
    static let zones = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"]
    static let pieces = ["*", "?", "*/7", "1-5", "3/4", "0", "1", "2", "15", "29", "30", "31", "59", "7", "6-2", "mon", "Jan-Mar",
                         "feb", "sun", "1,3,5", "0-23/5", "12", "/", "-", "", "60", "2-", "*/0", "x"]

    @Test(arguments: 0..<24)
    func randomSchedules(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 7919 &+ 17)
        for _ in 0..<20 {
            let fields = (0..<5).map { _ in Self.pieces.randomElement(using: &random)! }
            let text = Int.random(in: 0..<10, using: &random) == 0 ? ["@daily", "@hourly", "@monthly"].randomElement(using: &random)! : fields.joined(separator: " ")
            guard let schedule = try? CronSchedule(parsing: text) else { continue }
            let tz = zone(Self.zones.randomElement(using: &random)!)
            var now = Date(timeIntervalSince1970: TimeInterval(Int.random(in: 1_700_000_000..<1_900_000_000, using: &random)))
            for _ in 0..<8 {
                guard let next = schedule.next(after: now, in: tz) else { break }
                #expect(next > now, "\(text): \(next) not after \(now)")
                let wall = WallClock(next, in: tz)
                let (_, month, day) = wall.date
                #expect(schedule.matchesDay(day: day, month: month, weekday: wall.weekday) && schedule.hours.contains(wall.hour)
                    && schedule.minutes.contains(wall.minute), "\(text) fired at non-matching \(next)")
                if tz.identifier == "UTC" { #expect(scan(schedule, after: now, horizonMinutes: 3 * 1440) ?? next == next, "\(text) after \(now)") }
                now = next
            }
        }
    }

    /// The first matching minute after `instant` within the horizon, checking every minute.
    func scan(_ schedule: CronSchedule, after instant: Date, horizonMinutes: Int64) -> Date? {
        let start = WallClock(instant, in: zone("UTC"))
        for step in 1...horizonMinutes {
            let wall = WallClock(minutes: start.minutes + step)
            let (_, month, day) = wall.date
            if schedule.matchesDay(day: day, month: month, weekday: wall.weekday), schedule.hours.contains(wall.hour), schedule.minutes.contains(wall.minute) {
                return Date(timeIntervalSince1970: TimeInterval(wall.minutes * 60))
            }
        }
        return nil
    }
}
