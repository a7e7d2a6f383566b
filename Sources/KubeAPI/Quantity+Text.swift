// MARK: - Parsing

extension Quantity {
    /// Parses Kubernetes quantity text exactly as `resource.ParseQuantity` does:
    /// an optional sign, digits with an optional decimal point, and one suffix —
    /// binary (`Ki Mi Gi Ti Pi Ei`), decimal (`n u m k M G T P E`, none) or an exponent
    /// (`e3`, `E-2`). Values finer than `1n` are rounded up, away from zero.
    public init(_ text: String) throws(QuantityError) {
        let b = Array(text.utf8)
        guard !b.isEmpty else { throw .invalidFormat(text: text) }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            negative = b[0] == UInt8(ascii: "-")
            i = 1
        }
        let digitRange = UInt8(ascii: "0")...UInt8(ascii: "9")
        var whole: [UInt8] = []
        while i < b.count, digitRange.contains(b[i]) { whole.append(b[i]); i += 1 }
        var fraction: [UInt8] = []
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, digitRange.contains(b[i]) { fraction.append(b[i]); i += 1 }
        }
        guard !whole.isEmpty || !fraction.isEmpty else { throw .invalidFormat(text: text) }
        let suffix = String(decoding: b[i...], as: UTF8.self)
        guard let (base, exponent, format) = Quantity.interpret(suffix: suffix) else {
            let looksLikeSuffix = suffix.utf8.allSatisfy { !digitRange.contains($0) && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: " ") }
            throw looksLikeSuffix ? .unknownSuffix(text: text, suffix: suffix) : .invalidFormat(text: text)
        }

        // The digits as an exact decimal: digits × 10^scale.
        var digits = ArraySlice(whole + fraction)
        var scale = -fraction.count + (base == 10 ? exponent : 0)
        while let first = digits.first, first == UInt8(ascii: "0") { digits.removeFirst() }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast(); scale += 1 }
        if digits.isEmpty {
            self.init(normalizing: 0, scale: 0, format: format)
            return
        }
        var roundUp = false
        if base == 10, scale < -9 {
            // Round up to nano before the digits get too long to hold.
            let drop = -9 - scale
            if drop >= digits.count {
                digits = [UInt8(ascii: "0")]
            } else {
                digits = digits.dropLast(drop)
            }
            roundUp = true  // only non-zero digits remain after trimming, so something was dropped
            scale = -9
        }
        guard var mantissa = Int64(String(decoding: digits, as: UTF8.self)) else { throw .outOfRange(text: text) }
        if roundUp {
            let (m, overflow) = mantissa.addingReportingOverflow(1)
            guard !overflow else { throw .outOfRange(text: text) }
            mantissa = m
        }
        if base == 2 {
            let factor = Int64(1) << exponent
            let (m, overflow) = mantissa.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw .outOfRange(text: text) }
            mantissa = m
            while scale < 0, mantissa % 10 == 0 { mantissa /= 10; scale += 1 }
            if scale < -9 {
                mantissa = DecimalMath.divideAwayFromZero(mantissa, byPowerOfTen: -9 - scale)
                scale = -9
            }
        }
        if negative { mantissa = -mantissa }
        var q = Quantity(normalizing: mantissa, scale: scale, format: format)
        if format == .binarySI, q.mantissa.magnitude > 0, q < Quantity(1), q > Quantity(-1) {
            q.format = .decimalSI
        }
        self = q
    }

    static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    static let binarySuffixes: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]

    /// (base, exponent, format) of a suffix.
    static func interpret(suffix: String) -> (Int, Int, Format)? {
        if let e = decimalSuffixes[suffix] { return (10, e, .decimalSI) }
        if let e = binarySuffixes[suffix] { return (2, e, .binarySI) }
        if let first = suffix.first, first == "e" || first == "E" {
            var rest = suffix.dropFirst()
            var negative = false
            if rest.first == "+" || rest.first == "-" {
                negative = rest.first == "-"
                rest = rest.dropFirst()
            }
            guard !rest.isEmpty, rest.count <= 3, rest.allSatisfy({ $0.isASCII && $0.isNumber }), let e = Int(rest)
            else { return nil }
            return (10, negative ? -e : e, .decimalExponent)
        }
        return nil
    }
}

// MARK: - Canonical text

extension Quantity {
    /// The canonical text, as the API server writes it (`Quantity.String()`): the format
    /// of the input is kept and the largest suffix that shows the value exactly is used.
    /// Binary quantities below 1024 or with a fractional byte are shown as decimal.
    public var canonical: String {
        if mantissa == 0 { return "0" }
        if format == .binarySI, let whole = exactInteger, whole <= -1024 || whole >= 1024 {
            var amount = whole
            var power = 0
            while power < 6, amount % 1024 == 0 { amount /= 1024; power += 1 }
            return String(amount) + ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power]
        }
        var digits = String(mantissa.magnitude)
        var exponent = scale
        let down = ((exponent % 3) + 3) % 3
        digits += String(repeating: "0", count: down)
        exponent -= down
        let sign = mantissa < 0 ? "-" : ""
        if format == .decimalExponent {
            return sign + digits + (exponent == 0 ? "" : "e\(exponent)")
        }
        if exponent > 18 {
            digits += String(repeating: "0", count: exponent - 18)
            exponent = 18
        }
        let suffix = Quantity.decimalSuffixes.first { $0.value == exponent }?.key ?? ""
        return sign + digits + suffix
    }
}
