import Foundation

// MARK: - spark.properties in java.util.Properties.store form

extension SparkSubmitRenderer {
    /// The text of `spark.properties` as spark-submit writes it
    /// (KubernetesClientUtils.buildStringFromPropertiesMap → `Properties.store(Writer, …)`):
    /// a comment naming the ConfigMap, a comment with the date as `java.util.Date.toString`
    /// prints it in UTC ("Sun Nov 22 10:05:57 UTC 2026"), then one `key=value` line per
    /// entry, each line ending in "\n".
    ///
    /// Escapes are those of `store` to a Writer: `\` `=` `:` `#` `!` get a backslash, tab,
    /// newline, carriage return and form feed become `\t` `\n` `\r` `\f`, a space is
    /// escaped anywhere in a key but only at the start of a value, and other characters —
    /// non-ASCII included — are written as they are.
    ///
    /// spark-submit writes entries in its hash map's order; callers pass a deterministic order.
    public static func propertiesFile(_ entries: [(key: String, value: String)], configMapName: String, date: Date) -> String {
        var text = comment("Java properties built from Kubernetes config map with name: \(configMapName)")
        text += "#" + javaDateString(date) + "\n"
        for (key, value) in entries {
            text += escape(key, isKey: true) + "=" + escape(value, isKey: false) + "\n"
        }
        return text
    }

    private static func escape(_ text: String, isKey: Bool) -> String {
        var out = ""
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case " ": out += (isKey || offset == 0) ? "\\ " : " "
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{0C}": out += "\\f"
            case "\\", "=", ":", "#", "!": out += "\\" + String(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `Properties.writeComments`: "#" + text; characters above U+00FF as `\uXXXX`; a line
    /// break inside the comment starts a new comment line.
    private static func comment(_ text: String) -> String {
        var out = "#"
        for unit in text.utf16 {
            switch unit {
            case 0x0A, 0x0D: out += "\n#"
            case 0...0xFF: out += String(UnicodeScalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\n"
    }

    /// `java.util.Date.toString()` in UTC: "EEE MMM dd HH:mm:ss zzz yyyy".
    static func javaDateString(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))"
        return "\(weekday) \(months[month - 1]) \(two(day)) \(time) UTC \(year)"
    }

    /// Year, month (1–12) and day of a day count since 1970-01-01 (proleptic Gregorian).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
