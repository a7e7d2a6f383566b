import Foundation

/// Durations and timestamps as CEL reads and prints them: Go duration strings (`1h30m`,
/// `1.5s`, `-10ms`), RFC 3339 timestamps and dates.
enum CELTime {
    static let unitNanos: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// Nanoseconds of a Go duration string; nil when it is not one.
    static func parseDuration(_ text: String) -> Int64? {
        var s = Substring(text)
        var sign = 1.0
        if s.hasPrefix("-") { sign = -1; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        if s == "0" { return 0 }
        guard !s.isEmpty else { return nil }
        var total = 0.0
        while !s.isEmpty {
            let number = s.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            s = s.dropFirst(number.count)
            let unitText = s.prefix { !$0.isNumber && $0 != "." }
            guard let unit = unitNanos.first(where: { $0.0 == unitText }) else { return nil }
            s = s.dropFirst(unitText.count)
            total += value * unit.1
        }
        let nanos = sign * total
        guard nanos.magnitude < 9.2e18 else { return nil }
        return Int64(nanos.rounded())
    }

    /// CEL's `string(duration)`: seconds with up to nine fraction digits (`90s`, `1.5s`).
    static func formatDuration(_ nanos: Int64) -> String {
        let seconds = nanos / 1_000_000_000
        let fraction = nanos % 1_000_000_000
        guard fraction != 0 else { return "\(seconds)s" }
        var digits = String(format: "%09d", abs(fraction))
        while digits.hasSuffix("0") { digits.removeLast() }
        let sign = nanos < 0 && seconds == 0 ? "-" : ""
        return "\(sign)\(seconds).\(digits)s"
    }

    /// An RFC 3339 timestamp (`2024-01-02T03:04:05.5Z`, offsets allowed) or, with
    /// `dateOnly`, a full date (`2024-01-02`).
    static func parseTimestamp(_ text: String, dateOnly: Bool = false) -> (seconds: Int64, nanos: Int32)? {
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var v = 0
            for c in scalars[range] { guard (48...57).contains(c) else { return nil }; v = v * 10 + Int(c - 48) }
            return v
        }
        guard scalars.count >= 10, let year = number(0..<4), scalars[4] == 45, let month = number(5..<7), scalars[7] == 45,
              let day = number(8..<10), (1...12).contains(month), (1...31).contains(day) else { return nil }
        if dateOnly || scalars.count == 10 {
            guard scalars.count == 10 else { return nil }
            return (epochDays(year, month, day) * 86400, 0)
        }
        guard scalars.count >= 20, scalars[10] == 84 || scalars[10] == 116 || scalars[10] == 32, let hour = number(11..<13), scalars[13] == 58,
              let minute = number(14..<16), scalars[16] == 58, let second = number(17..<19), hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var nanos: Int32 = 0
        if scalars[index] == 46 {
            index += 1
            var digits = 0
            var value = 0
            while index < scalars.count, (48...57).contains(scalars[index]) {
                if digits < 9 { value = value * 10 + Int(scalars[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { value *= 10 } }
            nanos = Int32(value)
        }
        guard index < scalars.count else { return nil }
        var offset = 0
        if scalars[index] == 90 || scalars[index] == 122 {
            index += 1
        } else if scalars[index] == 43 || scalars[index] == 45, let h = number(index + 1..<index + 3), scalars.count > index + 3, scalars[index + 3] == 58,
                  let m = number(index + 4..<index + 6) {
            offset = (h * 3600 + m * 60) * (scalars[index] == 45 ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == scalars.count else { return nil }
        let seconds = epochDays(year, month, day) * 86400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return (seconds, nanos)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date.
    static func epochDays(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// RFC 3339 in UTC with the fraction trimmed (`2024-01-02T03:04:05Z`).
    static func formatTimestamp(seconds: Int64, nanos: Int32) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        if nanos != 0 {
            var digits = String(format: "%09d", nanos)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }
}
