// MARK: - Arithmetic

extension Quantity {
    /// The sum, in the left operand's format (the right's when the left is zero), as
    /// `Quantity.Add` does. Exact unless the two values differ by more than 18 orders of
    /// magnitude (8Ei plus 1n), where the finer digits are rounded up.
    public static func + (l: Quantity, r: Quantity) -> Quantity {
        let format = l.isZero ? r.format : l.format
        var scale = min(l.scale, r.scale)
        while true {
            if let a = rescaled(l, to: scale), let b = rescaled(r, to: scale) {
                let (sum, overflow) = a.addingReportingOverflow(b)
                if !overflow { return Quantity(normalizing: sum, scale: scale, format: format) }
            }
            scale += 1
        }
    }

    public static prefix func - (q: Quantity) -> Quantity {
        Quantity(normalizing: -q.mantissa, scale: q.scale, format: q.format)
    }

    public static func - (l: Quantity, r: Quantity) -> Quantity { l + (-r) }

    public static func += (l: inout Quantity, r: Quantity) { l = l + r }
    public static func -= (l: inout Quantity, r: Quantity) { l = l - r }

    /// The quantity at `scale`, rounded away from zero when it is coarser; nil if it overflows.
    private static func rescaled(_ q: Quantity, to scale: Int) -> Int64? {
        if q.scale >= scale { return DecimalMath.scaleUp(q.mantissa, by: q.scale - scale) }
        return DecimalMath.divideAwayFromZero(q.mantissa, byPowerOfTen: scale - q.scale)
    }

    /// The quantity times `factor`, rounded up (away from zero) to a whole multiple of
    /// `granularity`, in this quantity's format.
    ///
    /// The factor is taken as the decimal it prints as (`1.5`, `1.1`), so no binary
    /// floating-point error leaks into the result: `512Mi × 1.5 = 768Mi`,
    /// `1Gi × 1.5 = 1536Mi`, `1Gi × 1.1` rounded to `1Mi` = `1127Mi`.
    /// - Parameter granularity: the step of the result; whole units (bytes, cores) by
    ///   default; pass `Quantity(milli: 1)` for CPU, `"1Mi"` for JVM heap sizes.
    public func multiplied(by factor: Double, roundingUpTo granularity: Quantity = Quantity(1)) throws(QuantityError) -> Quantity {
        guard factor.isFinite else { throw .invalidArgument("factor \(factor) is not a finite number") }
        let f: Quantity
        do {
            f = try Quantity(exactDecimal: "\(factor)")
        } catch {
            throw .invalidArgument("factor \(factor) needs more than 18 significant digits")
        }
        return try multiplied(mantissa: f.mantissa, scale: f.scale, roundingUpTo: granularity)
    }

    /// The smallest multiple of `granularity` at least as far from zero as this quantity:
    /// `1.2Gi` rounded up to `1Gi` steps is `2Gi`.
    public func roundedUp(toMultipleOf granularity: Quantity) throws(QuantityError) -> Quantity {
        try multiplied(mantissa: 1, scale: 0, roundingUpTo: granularity)
    }

    private func multiplied(mantissa fm: Int64, scale fs: Int, roundingUpTo g: Quantity) throws(QuantityError) -> Quantity {
        guard g.mantissa > 0 else { throw .invalidArgument("granularity \(g) must be greater than zero") }
        if mantissa == 0 || fm == 0 { return Quantity(normalizing: 0, scale: 0, format: format) }
        // |self × factor| / granularity = P × 10^d / gm, with P = |m × fm|.
        var p = Wide(mantissa.magnitude.multipliedFullWidth(by: fm.magnitude))
        let d = scale + fs - g.scale
        if d >= 0 {
            for _ in 0..<d {
                guard let next = p.timesTen() else { throw .invalidArgument("\(self) × factor overflows") }
                p = next
            }
        } else {
            for _ in 0..<(-d) { p = p.dividedRoundingUp(by: 10) }
        }
        p = p.dividedRoundingUp(by: UInt64(g.mantissa))
        guard p.high == 0, p.low <= UInt64(Int64.max) else { throw .invalidArgument("\(self) × factor overflows") }
        let (steps, overflow) = Int64(p.low).multipliedReportingOverflow(by: g.mantissa)
        guard !overflow else { throw .invalidArgument("\(self) × factor overflows") }
        let negative = (mantissa < 0) != (fm < 0)
        return Quantity(normalizing: negative ? -steps : steps, scale: g.scale, format: format)
    }

    /// A plain decimal ("1.5", "1e-05") without nano rounding.
    init(exactDecimal text: String) throws(QuantityError) {
        guard let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            let fraction = parts.count > 1 ? String(parts[1]) : ""
            guard parts.count <= 2, let m = Int64(String(parts[0]) + fraction) else { throw .invalidFormat(text: text) }
            self.init(normalizing: m, scale: -fraction.count, format: .decimalSI)
            return
        }
        let base = try Quantity(exactDecimal: String(text[..<marker]))
        var exponentText = text[text.index(after: marker)...]
        if exponentText.first == "+" { exponentText = exponentText.dropFirst() }
        guard let e = Int(exponentText) else {
            throw .invalidFormat(text: text)
        }
        self.init(normalizing: base.mantissa, scale: base.scale + e, format: .decimalSI)
    }
}

/// An unsigned 128-bit value, for the exact intermediate product of a multiplication.
struct Wide {
    var high: UInt64
    var low: UInt64

    init(_ parts: (high: UInt64, low: UInt64)) {
        high = parts.high
        low = parts.low
    }

    func timesTen() -> Wide? {
        let lowProduct = low.multipliedFullWidth(by: 10)
        let (h, o1) = high.multipliedReportingOverflow(by: 10)
        let (h2, o2) = h.addingReportingOverflow(lowProduct.high)
        if o1 || o2 { return nil }
        return Wide((h2, lowProduct.low))
    }

    /// ⌈self / divisor⌉.
    func dividedRoundingUp(by divisor: UInt64) -> Wide {
        let (qh, rh) = high.quotientAndRemainder(dividingBy: divisor)
        let (ql, rl) = divisor.dividingFullWidth((rh, low))
        var result = Wide((qh, ql))
        if rl != 0 {
            let (l, carry) = result.low.addingReportingOverflow(1)
            result.low = l
            if carry { result.high += 1 }
        }
        return result
    }
}
