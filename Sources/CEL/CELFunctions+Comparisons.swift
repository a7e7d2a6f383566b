extension CELFunctions {
    /// `<`, `<=`, `>`, `>=` on values of one kind, and across int, uint and double.
    static let comparisons: [CELOverload] = {
        let operators: [(String, String, @Sendable (Int) -> Bool)] = [
            ("_<_", "less", { $0 < 0 }), ("_<=_", "less_equals", { $0 <= 0 }),
            ("_>_", "greater", { $0 > 0 }), ("_>=_", "greater_equals", { $0 >= 0 }),
        ]
        let same: [(CELType, String)] = [
            (.bool, "bool"), (.int, "int64"), (.uint, "uint64"), (.double, "double"), (.string, "string"), (.bytes, "bytes"),
            (.timestamp, "timestamp"), (.duration, "duration"),
        ]
        let cross: [(CELType, CELType, String)] = [
            (.int, .uint, "int64_uint64"), (.int, .double, "int64_double"), (.uint, .int, "uint64_int64"),
            (.uint, .double, "uint64_double"), (.double, .int, "double_int64"), (.double, .uint, "double_uint64"),
        ]
        var out: [CELOverload] = []
        for (function, name, test) in operators {
            let impl: @Sendable ([CELValue]) -> CELValue = { a in
                guard let order = CELValue.order(a[0], a[1]) else {
                    if CELValue.numeric(a[0]) != nil && CELValue.numeric(a[1]) != nil { return .bool(false) }
                    return .error(.noSuchOverload(function))
                }
                return .bool(test(order))
            }
            for (type, suffix) in same { out.append(f(function, "\(name)_\(suffix)", [type, type], .bool, impl)) }
            for (l, r, suffix) in cross { out.append(f(function, "\(name)_\(suffix)", [l, r], .bool, impl)) }
        }
        return out
    }()
}
