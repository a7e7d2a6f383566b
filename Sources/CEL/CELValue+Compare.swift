extension CELValue {
    /// CEL equality: numbers across int, uint and double by value; lists in order (as sets
    /// for `x-kubernetes-list-type: set`); maps and objects by their entries; values of
    /// different kinds are unequal. An error operand yields that error.
    static func equal(_ a: CELValue, _ b: CELValue) -> CELValue {
        if case .error = a { return a }
        if case .error = b { return b }
        return .bool(isEqual(a, b))
    }

    static func isEqual(_ a: CELValue, _ b: CELValue) -> Bool {
        if let x = numeric(a), let y = numeric(b) { return compareNumbers(x, y) == 0 }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.null, .null): return true
        case (.duration(let x), .duration(let y)): return x == y
        case (.timestamp(let s1, let n1), .timestamp(let s2, let n2)): return s1 == s2 && n1 == n2
        case (.quantity(let x), .quantity(let y)): return !(x < y) && !(y < x)
        case (.type(let x), .type(let y)): return x == y
        case (.list(let x, let dx), .list(let y, _)):
            guard x.count == y.count else { return false }
            if dx?.listType == "set" || dx?.listType == "map" {
                return x.allSatisfy { e in y.contains { isEqual(e, $0) } } && y.allSatisfy { e in x.contains { isEqual(e, $0) } }
            }
            return zip(x, y).allSatisfy { isEqual($0, $1) }
        default:
            guard let x = a.mapEntries, let y = b.mapEntries, x.count == y.count else { return false }
            return x.allSatisfy { e in y.contains { isEqual(e.key, $0.key) && isEqual(e.value, $0.value) } }
        }
    }

    enum Number { case int(Int64), uint(UInt64), double(Double) }

    static func numeric(_ v: CELValue) -> Number? {
        switch v {
        case .int(let i): .int(i)
        case .uint(let u): .uint(u)
        case .double(let d): .double(d)
        default: nil
        }
    }

    /// -1, 0 or 1; nil when a double is NaN.
    static func compareNumbers(_ a: Number, _ b: Number) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.uint(let x), .uint(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let x), .uint(let y)): return x < 0 ? -1 : compareNumbers(.uint(UInt64(x)), .uint(y))
        case (.uint, .int): return compareNumbers(b, a).map { -$0 }
        default:
            let x = double(a)
            let y = double(b)
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    static func double(_ n: Number) -> Double {
        switch n {
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        case .double(let d): d
        }
    }

    /// Ordering for `<`, `<=`, `>`, `>=`: -1, 0, 1, or nil when the values do not compare.
    static func order(_ a: CELValue, _ b: CELValue) -> Int? {
        if let x = numeric(a), let y = numeric(b) { return compareNumbers(x, y) }
        switch (a, b) {
        case (.string(let x), .string(let y)):
            let l = Array(x.unicodeScalars.map(\.value))
            let r = Array(y.unicodeScalars.map(\.value))
            return l.lexicographicallyPrecedes(r) ? -1 : (l == r ? 0 : 1)
        case (.bytes(let x), .bytes(let y)): return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.duration(let x), .duration(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.timestamp(let s1, let n1), .timestamp(let s2, let n2)):
            return (s1, n1) < (s2, n2) ? -1 : ((s1, n1) == (s2, n2) ? 0 : 1)
        default: return nil
        }
    }
}
