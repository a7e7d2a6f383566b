import KubeAPI

/// Numbers of a custom resource as the server stores them: it decodes JSON into Go values
/// (an int64 when the literal is one, a float64 otherwise) and encodes them back, so `1.0`
/// becomes `1`, `1e1` becomes `10`, `2.50` becomes `2.5` and integers beyond int64 become
/// `1e+24`.
public enum GoJSONNumbers {
    public static func normalize(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let n):
            guard Int64(n.text) == nil, let d = Double(n.text), d.isFinite else { return value }
            return .number(JSONNumber(text: format(d)))
        case .array(let items): return .array(items.map(normalize))
        case .object(let o):
            var out = o
            for (key, v) in o { out[key] = normalize(v) }
            return .object(out)
        default: return value
        }
    }

    /// Go's `encoding/json` text of a float64: the shortest digits that round-trip, in fixed
    /// notation from 1e-6 up to 1e21, exponent notation (`1e+24`, `1e-7`) outside.
    public static func format(_ d: Double) -> String {
        if d == 0 { return "0" }
        let (negative, digits, exponent) = decompose(d)
        let sign = negative ? "-" : ""
        let magnitude = abs(d)
        if magnitude < 1e-6 || magnitude >= 1e21 {
            // d.ddd e±x, with x the power of ten of the first digit.
            let power = exponent + digits.count - 1
            let mantissa = digits.count > 1 ? String(digits.prefix(1)) + "." + String(digits.dropFirst()) : String(digits)
            return sign + mantissa + "e" + (power < 0 ? "-" : "+") + String(abs(power))
        }
        // value = 0.digits × 10^(exponent + count) = digits × 10^exponent
        if exponent >= 0 { return sign + String(digits) + String(repeating: "0", count: exponent) }
        let point = digits.count + exponent
        if point > 0 { return sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point)) }
        return sign + "0." + String(repeating: "0", count: -point) + String(digits)
    }

    /// The shortest round-trip digits of `d` (no leading or trailing zeros) and the power of
    /// ten of the last digit.
    static func decompose(_ d: Double) -> (negative: Bool, digits: Substring, exponent: Int) {
        var text = "\(abs(d))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var digits = text
        if let dot = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: dot)...]
            exponent -= fraction.count
            digits = String(text[..<dot]) + fraction
        }
        var trimmed = Substring(digits.drop { $0 == "0" })
        while trimmed.last == "0" {
            trimmed = trimmed.dropLast()
            exponent += 1
        }
        return (d < 0, trimmed, exponent)
    }
}
