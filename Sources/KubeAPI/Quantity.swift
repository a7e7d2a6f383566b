/// A Kubernetes resource quantity (`resource.Quantity`): `500m`, `1.5Gi`, `2`, `1e3`.
///
/// The value is kept exactly — never as a `Double` — as a decimal mantissa and power of
/// ten, so that `1.5Gi`, `0.1` or `100m` survive arithmetic and compare correctly. As in
/// Kubernetes, values finer than a nano-unit are rounded up (away from zero) when parsed,
/// and the quantity remembers the notation it was written in (`format`), which decides
/// its canonical text: `1536Mi` stays binary, `0.5` becomes `500m`, `1000m` becomes `1`.
///
/// Exact for every realistic resource amount: magnitudes up to about 9.2 × 10¹⁸ significant
/// units (8 Ei of bytes) at any scale from nano (`1n`) upward.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The notation a quantity was written in; canonical text keeps it.
    public enum Format: String, Sendable, Hashable {
        /// Powers of 1024: `Ki Mi Gi Ti Pi Ei`.
        case binarySI
        /// Powers of 1000: `n u m "" k M G T P E`.
        case decimalSI
        /// Scientific notation: `1e3`, `5E-3`.
        case decimalExponent
    }

    /// value = mantissa × 10^scale. Normalized: the mantissa has no trailing zero digit
    /// (zero is `0 × 10^0`) and `scale >= -9`.
    let mantissa: Int64
    let scale: Int
    /// The notation used when the quantity is written as text.
    public var format: Format

    init(normalizing mantissa: Int64, scale: Int, format: Format) {
        var m = mantissa
        var s = scale
        if m == 0 {
            s = 0
        } else {
            while m % 10 == 0 { m /= 10; s += 1 }
        }
        self.mantissa = m
        self.scale = s
        self.format = format
    }

    /// A whole number of units (bytes, cores, pods), written in `format`.
    public init(_ value: Int64, format: Format = .decimalSI) {
        self.init(normalizing: value, scale: 0, format: format)
    }

    /// A number of bytes, written with binary suffixes (`Ki`, `Mi`, `Gi`, …).
    public init(bytes: Int64) { self.init(bytes, format: .binarySI) }

    /// A number of thousandths (millicores), written with decimal suffixes (`500m`, `2`).
    public init(milli: Int64) { self.init(normalizing: milli, scale: -3, format: .decimalSI) }

    /// Zero.
    public static let zero = Quantity(0)

    // MARK: - Comparison

    public static func == (l: Quantity, r: Quantity) -> Bool { l.mantissa == r.mantissa && l.scale == r.scale }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(mantissa)
        hasher.combine(scale)
    }

    public static func < (l: Quantity, r: Quantity) -> Bool {
        if l.sign != r.sign { return l.sign < r.sign }
        if l.sign == 0 { return false }
        let common = min(l.scale, r.scale)
        guard let a = DecimalMath.scaleUp(l.mantissa, by: l.scale - common) else { return l.sign < 0 }
        guard let b = DecimalMath.scaleUp(r.mantissa, by: r.scale - common) else { return r.sign > 0 }
        return a < b
    }

    /// -1, 0 or 1.
    public var sign: Int { mantissa.signum() == 0 ? 0 : Int(mantissa.signum()) }
    public var isZero: Bool { mantissa == 0 }

    // MARK: - Values

    /// The value in whole units, rounded up away from zero (`Quantity.Value()` in Go);
    /// saturates at `Int64.max` / `Int64.min`.
    public var value: Int64 { scaledValue(scale: 0) }

    /// The value in thousandths, rounded up away from zero (`MilliValue()`): `0.5` → 500.
    public var milliValue: Int64 { scaledValue(scale: -3) }

    /// The value in bytes, for memory and storage quantities: `1Ki` → 1024.
    public var bytes: Int64 { value }

    /// The value in units of 10^scale, rounded up away from zero (`ScaledValue`).
    public func scaledValue(scale target: Int) -> Int64 {
        if scale >= target {
            return DecimalMath.scaleUp(mantissa, by: scale - target) ?? (mantissa < 0 ? .min : .max)
        }
        return DecimalMath.divideAwayFromZero(mantissa, byPowerOfTen: target - scale)
    }

    /// The value as a `Double`, for display and ratios only.
    public var doubleValue: Double {
        var d = Double(mantissa)
        if scale >= 0 {
            for _ in 0..<scale { d *= 10 }
        } else {
            for _ in 0..<(-scale) { d /= 10 }
        }
        return d
    }

    /// The whole-unit value when the quantity is an integer that fits in `Int64`.
    var exactInteger: Int64? { scale >= 0 ? DecimalMath.scaleUp(mantissa, by: scale) : nil }

    public var description: String { canonical }
}

// MARK: - JSON

extension Quantity: JSONRepresentable {
    /// Reads a JSON string (`"1.5Gi"`) or number (`2`, `0.5`); nil when it is not a valid quantity.
    public init?(json: JSONValue) {
        switch json {
        case .string(let s): guard let q = try? Quantity(s) else { return nil }; self = q
        case .number(let n): guard let q = try? Quantity(n.text) else { return nil }; self = q
        default: return nil
        }
    }

    /// The canonical string form, as the API server writes it.
    public var json: JSONValue { .string(canonical) }
}

extension Quantity: ExpressibleByStringLiteral {
    /// A quantity from a literal in source code; an invalid literal is a programming error and traps.
    public init(stringLiteral value: String) {
        do {
            try self.init(value)
        } catch {
            preconditionFailure("invalid Quantity literal: \(error)")
        }
    }
}

extension Quantity: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonical)
    }
}

/// Why a text is not a quantity. Every case names the text and says what was expected.
public enum QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not `<sign><digits>[.<digits>]<suffix>`.
    case invalidFormat(text: String)
    /// The number is fine but the suffix is not one of Kubernetes' suffixes.
    case unknownSuffix(text: String, suffix: String)
    /// The value does not fit the exact representation (about 9.2 × 10¹⁸ significant units).
    case outOfRange(text: String)
    /// A multiplication factor or granularity that cannot be used.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .invalidFormat(let text):
            return "invalid quantity \"\(text)\": expected a number with an optional suffix, e.g. 500m, 2, 1.5Gi, 1e3"
        case .unknownSuffix(let text, let suffix):
            return "invalid quantity \"\(text)\": unknown suffix \"\(suffix)\"; expected one of "
                + "Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or an exponent such as e3"
        case .outOfRange(let text):
            return "quantity \"\(text)\" is out of range: at most about 9.2e18 significant units (8Ei) are supported"
        case .invalidArgument(let reason):
            return "invalid quantity arithmetic: \(reason)"
        }
    }
}

// MARK: - Exact decimal helpers

enum DecimalMath {
    static let powersOfTen: [Int64] = {
        var p: [Int64] = [1]
        for _ in 1...18 { p.append(p.last! * 10) }
        return p
    }()

    /// m × 10^k, or nil on overflow.
    static func scaleUp(_ m: Int64, by k: Int) -> Int64? {
        if m == 0 { return 0 }
        guard k >= 0, k <= 18 else { return nil }
        let (r, overflow) = m.multipliedReportingOverflow(by: powersOfTen[k])
        return overflow ? nil : r
    }

    /// m / 10^k rounded away from zero.
    static func divideAwayFromZero(_ m: Int64, byPowerOfTen k: Int) -> Int64 {
        if m == 0 { return 0 }
        if k > 18 { return m > 0 ? 1 : -1 }
        let p = powersOfTen[k]
        let (q, r) = m.quotientAndRemainder(dividingBy: p)
        if r == 0 { return q }
        return m > 0 ? q + 1 : q - 1
    }
}
