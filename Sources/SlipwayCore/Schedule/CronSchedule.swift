import Foundation

/// A parsed five-field cron expression (minute, hour, day of month, month, day of week), the
/// syntax of Kubernetes CronJob (robfig/cron v3's standard parser) and of Vixie cron:
/// `*`, values, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n` (from `a` to the field's end),
/// lists `a,b-c`, month names `JAN`–`DEC`, day names `SUN`–`SAT` (case-insensitive), `?` as
/// `*` in the day fields, day of week `7` as Sunday, and the descriptors `@yearly`
/// (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`) and `@hourly`.
///
/// Day of month and day of week follow the Vixie-cron rule: when both are restricted (neither
/// starts with `*` or `?`), a day matches if *either* does; otherwise both must.
///
/// Pure: parsing reads no clock; ``next(after:in:)`` (in `CronSchedule+Next.swift`) takes the
/// instant and the time zone.
public struct CronSchedule: Sendable, Hashable {
    /// The text as written.
    public let expression: String
    let minutes: FieldSet
    let hours: FieldSet
    let daysOfMonth: FieldSet
    let months: FieldSet
    let daysOfWeek: FieldSet
    /// Whether the day-of-month field starts with `*` or `?` (Vixie cron's `DOM_STAR`).
    let daysOfMonthStar: Bool
    /// Whether the day-of-week field starts with `*` or `?` (`DOW_STAR`).
    let daysOfWeekStar: Bool

    /// Parses `expression`; a failure names the field, the text and what is allowed.
    public init(parsing expression: String) throws(CronParseError) {
        self.expression = expression
        let trimmed = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = Self.descriptors[trimmed.lowercased()] ?? trimmed
        if text.hasPrefix("@") {
            throw CronParseError(field: nil, text: trimmed, reason: "unknown descriptor; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly")
        }
        if text.hasPrefix("TZ=") || text.hasPrefix("CRON_TZ=") {
            throw CronParseError(field: nil, text: trimmed, reason: "a time zone in the schedule is not supported; set spec.timeZone")
        }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronParseError(field: nil, text: trimmed, reason: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        minutes = try CronField.minute.parse(fields[0])
        hours = try CronField.hour.parse(fields[1])
        daysOfMonth = try CronField.dayOfMonth.parse(fields[2])
        months = try CronField.month.parse(fields[3])
        var dow = try CronField.dayOfWeek.parse(fields[4])
        if dow.contains(7) { dow.insert(0) }
        dow.remove(7)
        daysOfWeek = dow
        daysOfMonthStar = fields[2].hasPrefix("*") || fields[2].hasPrefix("?")
        daysOfWeekStar = fields[4].hasPrefix("*") || fields[4].hasPrefix("?")
        if daysOfWeekStar && !daysOfMonthStar { try checkDaysOccur(fields[2]) }
    }

    /// A day of month no chosen month has (`0 0 30 2 *`) never fires: say so at parse time,
    /// as the API server should refuse it rather than the schedule wait forever.
    private func checkDaysOccur(_ field: String) throws(CronParseError) {
        let longest = months.values.map { Self.longestMonth[$0] }.max() ?? 31
        guard let first = daysOfMonth.values.min(), first > longest else { return }
        throw CronParseError(field: .dayOfMonth, text: field, reason: "day \(first) never occurs in the chosen months")
    }

    static let longestMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    static let descriptors: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Whether a day (its day of month 1–31, month 1–12 and weekday 0–6, Sunday 0) matches the
    /// day and month fields, with the Vixie-cron OR rule.
    func matchesDay(day: Int, month: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let dom = daysOfMonth.contains(day), dow = daysOfWeek.contains(weekday)
        if daysOfMonthStar || daysOfWeekStar { return dom && dow }
        return dom || dow
    }
}

/// A parse failure: which field, its text and why, e.g.
/// `invalid schedule "0 25 * * *": hour: 25 is out of range 0-23`.
public struct CronParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault, or nil when the whole expression is.
    public let field: CronField?
    public let text: String
    public let reason: String

    public var description: String {
        if let field { return "\(field.rawValue) field \"\(text)\": \(reason)" }
        return "schedule \"\(text)\": \(reason)"
    }
}

/// A set of small non-negative integers (0–63) as a bit mask.
struct FieldSet: Sendable, Hashable {
    private(set) var bits: UInt64 = 0
    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0 }
    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }
    mutating func remove(_ value: Int) { bits &= ~(1 << UInt64(value)) }
    var isEmpty: Bool { bits == 0 }
    var values: [Int] { (0..<64).filter(contains) }
    /// The smallest member at least `value`, if any.
    func first(atLeast value: Int) -> Int? { value < 64 ? (max(0, value)..<64).first(where: contains) : nil }
}
