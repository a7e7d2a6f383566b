/// The five fields of a cron expression, their ranges and names.
public enum CronField: String, Sendable, Hashable, CaseIterable {
    case minute, hour
    case dayOfMonth = "day-of-month"
    case month
    case dayOfWeek = "day-of-week"

    var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// Names accepted in place of numbers (three letters, any case).
    var names: [String: Int] {
        switch self {
        case .month:
            ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
        case .dayOfWeek: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
        default: [:]
        }
    }

    /// Parses one field: a comma-separated list of `*`, `?` (day fields), `v`, `a-b`, each
    /// optionally followed by `/step`.
    func parse(_ text: String) throws(CronParseError) -> FieldSet {
        var set = FieldSet()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            try parsePart(String(part), whole: text, into: &set)
        }
        return set
    }

    private func parsePart(_ part: String, whole: String, into set: inout FieldSet) throws(CronParseError) {
        func fail(_ reason: String) -> CronParseError { CronParseError(field: self, text: whole, reason: reason) }
        guard !part.isEmpty else { throw fail("empty list element") }
        let pieces = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count <= 2 else { throw fail("\"\(part)\" has more than one /") }
        var low: Int, high: Int
        if pieces[0] == "*" || (pieces[0] == "?" && (self == .dayOfMonth || self == .dayOfWeek)) {
            (low, high) = (range.lowerBound, range.upperBound)
            if self == .dayOfWeek { high = 6 }
        } else {
            let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard bounds.count <= 2 else { throw fail("\"\(pieces[0])\" is not a value or a range a-b") }
            low = try value(bounds[0], whole: whole)
            high = low
            if bounds.count == 2 { high = try value(bounds[1], whole: whole) }
            // `a/n` runs from a to the field's end, as in robfig/cron and Vixie cron.
            if bounds.count == 1 && pieces.count == 2 { high = self == .dayOfWeek ? 6 : range.upperBound }
            guard low <= high else { throw fail("range \(pieces[0]) runs backwards") }
        }
        var step = 1
        if pieces.count == 2 {
            guard let parsed = Int(pieces[1]), parsed > 0 else { throw fail("step \"\(pieces[1])\" is not a positive number") }
            guard parsed <= range.upperBound else { throw fail("step \(parsed) is larger than \(range.upperBound)") }
            step = parsed
        }
        for value in stride(from: low, through: high, by: step) { set.insert(value) }
    }

    private func value(_ text: String, whole: String) throws(CronParseError) -> Int {
        if let number = Int(text), text.allSatisfy(\.isASCII) {
            guard range.contains(number) else {
                throw CronParseError(field: self, text: whole, reason: "\(number) is out of range \(range.lowerBound)-\(range.upperBound)")
            }
            return number
        }
        if let named = names[text.lowercased()] { return named }
        let allowed = names.isEmpty ? "a number" : "a number or a name such as \(self == .month ? "JAN" : "MON")"
        throw CronParseError(field: self, text: whole, reason: "\"\(text)\" is not \(allowed)")
    }
}
