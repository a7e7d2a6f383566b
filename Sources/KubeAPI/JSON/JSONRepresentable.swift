import Foundation

/// A Swift value that has one JSON form. Typed views read and write fields through this.
public protocol JSONRepresentable: Sendable {
    /// Reads the value; nil when the JSON has another shape.
    init?(json: JSONValue)
    var json: JSONValue { get }
}

extension JSONValue: JSONRepresentable {
    public init?(json: JSONValue) { self = json }
    public var json: JSONValue { self }
}

extension JSONObject: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .object(let o) = json else { return nil }
        self = o
    }
    public var json: JSONValue { .object(self) }
}

extension String: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .string(let s) = json else { return nil }
        self = s
    }
    public var json: JSONValue { .string(self) }
}

extension Bool: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .bool(let b) = json else { return nil }
        self = b
    }
    public var json: JSONValue { .bool(self) }
}

extension Int: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .number(let n) = json, let v = n.int else { return nil }
        self = v
    }
    public var json: JSONValue { .number(JSONNumber(self)) }
}

extension Int64: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .number(let n) = json, let v = n.int64 else { return nil }
        self = v
    }
    public var json: JSONValue { .number(JSONNumber(self)) }
}

extension Int32: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .number(let n) = json, let v = n.int64, let i = Int32(exactly: v) else { return nil }
        self = i
    }
    public var json: JSONValue { .number(JSONNumber(Int(self))) }
}

extension Double: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .number(let n) = json, let v = n.double else { return nil }
        self = v
    }
    public var json: JSONValue { .number(JSONNumber(self)) }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .array(let items) = json else { return nil }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let e = Element(json: item) else { return nil }
            result.append(e)
        }
        self = result
    }
    public var json: JSONValue { .array(map(\.json)) }
}

extension Dictionary: JSONRepresentable where Key == String, Value: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .object(let o) = json else { return nil }
        var result: [String: Value] = [:]
        for (k, v) in o {
            guard let e = Value(json: v) else { return nil }
            result[k] = e
        }
        self = result
    }
    /// Keys are written sorted, so that encoding is deterministic.
    public var json: JSONValue {
        var o = JSONObject()
        for key in keys.sorted() { o[key] = self[key]!.json }
        return .object(o)
    }
}

/// `metav1.Time`: RFC 3339 with seconds, e.g. `2026-11-22T10:51:06Z`.
extension Date: JSONRepresentable {
    public init?(json: JSONValue) {
        guard case .string(let s) = json, let d = RFC3339.parse(s) else { return nil }
        self = d
    }
    public var json: JSONValue { .string(RFC3339.format(self)) }
}

/// `metav1.MicroTime`: RFC 3339 with microseconds, used by Events and Leases.
public struct MicroTime: JSONRepresentable, Hashable, Comparable {
    public var date: Date
    public init(_ date: Date) { self.date = date }
    public init?(json: JSONValue) {
        guard case .string(let s) = json, let d = RFC3339.parse(s) else { return nil }
        date = d
    }
    public var json: JSONValue { .string(RFC3339.format(date, fractionDigits: 6)) }
    public static func < (l: MicroTime, r: MicroTime) -> Bool { l.date < r.date }
}

/// RFC 3339 timestamps in UTC, without a (non-Sendable) DateFormatter.
public enum RFC3339 {
    public static func format(_ date: Date, fractionDigits: Int = 0) -> String {
        let t = date.timeIntervalSince1970
        var seconds = Int64(t.rounded(.down))
        var fraction = t - Double(seconds)
        if fractionDigits == 0 { fraction = 0 }
        var scale: Double = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        var fracValue = Int64((fraction * scale).rounded())
        if Double(fracValue) >= scale { fracValue = 0; seconds += 1 }
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secOfDay = seconds - days * 86400
        let (y, m, d) = civilFromDays(days)
        var s = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, Int(secOfDay / 3600), Int(secOfDay % 3600 / 60), Int(secOfDay % 60))
        if fractionDigits > 0 {
            let digits = String(fracValue)
            s += "." + String(repeating: "0", count: fractionDigits - digits.count) + digits
        }
        return s + "Z"
    }

    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20 else { return nil }
        func num(_ start: Int, _ len: Int) -> Int? {
            var v = 0
            for i in start..<(start + len) {
                guard i < b.count, (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
            b[10] == 84 || b[10] == 116 || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2),
            b[16] == 58, let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, (48...57).contains(b[i]) {
                fraction += Double(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = num(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 43 ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(y, mo, d)
        let secs = Double(days * 86400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset))
        return Date(timeIntervalSince1970: secs + fraction)
    }

    // Howard Hinnant's civil-calendar algorithms.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
