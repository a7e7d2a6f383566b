import Foundation
@testable import SlipwayCore
import Testing

/// Parses an RFC 3339 time with its offset (and optional fractional seconds), as the tables
/// write them.
func instant(_ text: String) -> Date {
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    guard let date = ISO8601DateFormatter().date(from: text) ?? fractional.date(from: text) else { fatalError("bad time \(text)") }
    return date
}

func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else { fatalError("no time zone \(identifier)") }
    return zone
}

@Suite("CronSchedule")
struct CronScheduleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let schedule: String, zone: String, after: String, next: String
        var testDescription: String { "\(schedule) in \(zone) after \(after)" }
    }

    static let plain: [Case] = [
        .init(schedule: "*/15 * * * *", zone: "UTC", after: "2026-07-09T14:45:00Z", next: "2026-07-09T15:00:00Z"),
        .init(schedule: "*/15 * * * *", zone: "UTC", after: "2026-07-09T14:59:59Z", next: "2026-07-09T15:00:00Z"),
        .init(schedule: "20-35/15 * * * *", zone: "UTC", after: "2026-07-09T15:45:00Z", next: "2026-07-09T16:20:00Z"),
        .init(schedule: "*/15 * * * *", zone: "UTC", after: "2026-07-09T23:46:00Z", next: "2026-07-10T00:00:00Z"),
        .init(schedule: "5/20 */6 * * *", zone: "UTC", after: "2026-07-09T06:45:00Z", next: "2026-07-09T12:05:00Z"),
        .init(schedule: "0 0 29 2 *", zone: "UTC", after: "2026-07-09T00:00:00Z", next: "2028-02-29T00:00:00Z"),
        .init(schedule: "0 0 29 Feb *", zone: "UTC", after: "2028-02-29T00:00:00Z", next: "2032-02-29T00:00:00Z"),
        .init(schedule: "@monthly", zone: "UTC", after: "2026-01-31T00:00:00Z", next: "2026-02-01T00:00:00Z"),
        .init(schedule: "0 0 31 * *", zone: "UTC", after: "2026-01-31T00:00:00Z", next: "2026-03-31T00:00:00Z"),
        .init(schedule: "0 0 31 * *", zone: "UTC", after: "2026-05-31T00:00:00Z", next: "2026-07-31T00:00:00Z"),
        .init(schedule: "0 0 * Feb Mon", zone: "UTC", after: "2026-07-09T00:00:00Z", next: "2027-02-01T00:00:00Z"),
        .init(schedule: "0 0 1,15 * Sun", zone: "UTC", after: "2026-07-10T00:00:00Z", next: "2026-07-12T00:00:00Z"),
        .init(schedule: "0 0 1,15 * Sun", zone: "UTC", after: "2026-07-13T00:00:00Z", next: "2026-07-15T00:00:00Z"),
        .init(schedule: "0 0 */2 * Sun", zone: "UTC", after: "2026-07-10T00:00:00Z", next: "2026-07-19T00:00:00Z"),
        .init(schedule: "0 0 ? * Sun", zone: "UTC", after: "2026-07-10T00:00:00Z", next: "2026-07-12T00:00:00Z"),
        .init(schedule: "@weekly", zone: "UTC", after: "2026-07-09T00:00:00Z", next: "2026-07-12T00:00:00Z"),
        .init(schedule: "@yearly", zone: "UTC", after: "2026-07-09T00:00:00Z", next: "2027-01-01T00:00:00Z"),
        .init(schedule: "@annually", zone: "UTC", after: "2026-12-31T23:59:00Z", next: "2027-01-01T00:00:00Z"),
        .init(schedule: "@daily", zone: "UTC", after: "2026-12-31T23:59:00Z", next: "2027-01-01T00:00:00Z"),
        .init(schedule: "@hourly", zone: "UTC", after: "2026-07-09T14:59:59Z", next: "2026-07-09T15:00:00Z"),
        .init(schedule: "0 9 * * mon-FRI", zone: "UTC", after: "2026-07-10T10:00:00Z", next: "2026-07-13T09:00:00Z"),
        .init(schedule: "5 4 * * 7", zone: "UTC", after: "2026-07-09T00:00:00Z", next: "2026-07-12T04:05:00Z"),
        .init(schedule: "0 0 1 jan,JUL *", zone: "UTC", after: "2026-01-01T00:00:00Z", next: "2026-07-01T00:00:00Z"),
        .init(schedule: "0 12 * * *", zone: "Asia/Kathmandu", after: "2026-07-09T00:00:00Z", next: "2026-07-09T06:15:00Z"),
        .init(schedule: "0 0 * * *", zone: "America/New_York", after: "2026-07-09T12:00:00Z", next: "2026-07-10T04:00:00Z"),
    ]

    /// Daylight saving in two zones. New York 2026: forward Mar 8 02:00 EST → 03:00 EDT, back
    /// Nov 1 02:00 EDT → 01:00 EST. Berlin 2026: forward Mar 29 02:00 CET → 03:00 CEST, back
    /// Oct 25 03:00 CEST → 02:00 CET.
    static let daylightSaving: [Case] = [
        // Spring forward: a time the clocks skip does not fire that day (as CronJob).
        .init(schedule: "30 2 * * *", zone: "America/New_York", after: "2026-03-08T00:00:00-05:00", next: "2026-03-09T02:30:00-04:00"),
        .init(schedule: "0 2 * * *", zone: "America/New_York", after: "2026-03-08T00:00:00-05:00", next: "2026-03-09T02:00:00-04:00"),
        .init(schedule: "0 * * * *", zone: "America/New_York", after: "2026-03-08T01:00:00-05:00", next: "2026-03-08T03:00:00-04:00"),
        .init(schedule: "0 3 * * *", zone: "America/New_York", after: "2026-03-08T00:00:00-05:00", next: "2026-03-08T03:00:00-04:00"),
        .init(schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-03-29T00:00:00+01:00", next: "2026-03-30T02:30:00+02:00"),
        .init(schedule: "0 * * * *", zone: "Europe/Berlin", after: "2026-03-29T01:00:00+01:00", next: "2026-03-29T03:00:00+02:00"),
        // Fall back: a time shown twice fires once, at its first occurrence.
        .init(schedule: "30 1 * * *", zone: "America/New_York", after: "2026-11-01T00:00:00-04:00", next: "2026-11-01T01:30:00-04:00"),
        .init(schedule: "30 1 * * *", zone: "America/New_York", after: "2026-11-01T01:30:00-04:00", next: "2026-11-02T01:30:00-05:00"),
        .init(schedule: "30 1 * * *", zone: "America/New_York", after: "2026-11-01T01:15:00-05:00", next: "2026-11-02T01:30:00-05:00"),
        .init(schedule: "0 * * * *", zone: "America/New_York", after: "2026-11-01T01:00:00-04:00", next: "2026-11-01T02:00:00-05:00"),
        .init(schedule: "30 2 * * *", zone: "America/New_York", after: "2026-11-01T00:00:00-04:00", next: "2026-11-01T02:30:00-05:00"),
        .init(schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-25T00:00:00+02:00", next: "2026-10-25T02:30:00+02:00"),
        .init(schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-25T02:30:00+02:00", next: "2026-10-26T02:30:00+01:00"),
        .init(schedule: "*/30 * * * *", zone: "Europe/Berlin", after: "2026-10-25T02:30:00+02:00", next: "2026-10-25T03:00:00+01:00"),
    ]

    @Test(arguments: plain + daylightSaving)
    func nextFiring(_ row: Case) throws {
        let schedule = try CronSchedule(parsing: row.schedule)
        #expect(schedule.next(after: instant(row.after), in: zone(row.zone)) == instant(row.next))
    }

    @Test(arguments: [
        ("0 25 * * *", CronField.hour, "25 is out of range 0-23"),
        ("61 * * * *", .minute, "61 is out of range 0-59"),
        ("0 0 * foo *", .month, "\"foo\" is not a number or a name such as JAN"),
        ("0 0 * * funday", .dayOfWeek, "\"funday\" is not a number or a name such as MON"),
        ("*/0 * * * *", .minute, "step \"0\" is not a positive number"),
        ("5-1 * * * *", .minute, "range 5-1 runs backwards"),
        ("0 0 * * 8", .dayOfWeek, "8 is out of range 0-7"),
        ("0 0 0 * *", .dayOfMonth, "0 is out of range 1-31"),
        ("0 0 30 2 *", .dayOfMonth, "day 30 never occurs in the chosen months"),
        ("0 0 31 apr,jun *", .dayOfMonth, "day 31 never occurs in the chosen months"),
        ("1,,2 * * * *", .minute, "empty list element"),
        ("0 ? * * *", .hour, "\"?\" is not a number"),
    ])
    func parseErrorsNameTheField(text: String, field: CronField, reason: String) {
        #expect(throws: CronParseError(field: field, text: text.split(separator: " ").map(String.init)[CronField.allCases.firstIndex(of: field)!], reason: reason)) {
            try CronSchedule(parsing: text)
        }
    }

    @Test(arguments: [
        ("* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 6"),
        ("@every 5m", "unknown descriptor; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"),
        ("TZ=UTC 0 0 * * *", "a time zone in the schedule is not supported; set spec.timeZone"),
        ("", "expected 5 fields (minute hour day-of-month month day-of-week), found 0"),
    ])
    func wholeExpressionErrors(text: String, reason: String) {
        #expect(throws: CronParseError(field: nil, text: text, reason: reason)) { try CronSchedule(parsing: text) }
    }

    @Test func errorTextNamesFieldAndValue() {
        do {
            _ = try CronSchedule(parsing: "0 25 * * *")
            Issue.record("parsed an hour of 25")
        } catch {
            #expect(error.description == "hour field \"25\": 25 is out of range 0-23")
        }
    }

    @Test func slotIsTheWallClockMinute() {
        let slot = CronSchedule.slot(of: instant("2026-11-01T05:30:00Z"), in: zone("America/New_York"))
        #expect(slot.year == 2026 && slot.month == 11 && slot.day == 1 && slot.hour == 1 && slot.minute == 30)
    }
}
