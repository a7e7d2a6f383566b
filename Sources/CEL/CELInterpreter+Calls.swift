extension CELInterpreter {
    mutating func call(_ e: CELExpr, _ function: String, _ target: CELExpr?, _ args: [CELExpr]) -> CELValue {
        switch function {
        case "_&&_", "_||_": return logical(function == "_&&_", args[0], args[1])
        case "_?_:_":
            switch eval(args[0]) {
            case .bool(true): return eval(args[1])
            case .bool(false): return eval(args[2])
            case .error(let err): return .error(err)
            default: return .error(.noSuchOverload("_?_:_"))
            }
        case "@not_strictly_false":
            if case .bool(false) = eval(args[0]) { return .bool(false) }
            return .bool(true)
        default: break
        }
        var values: [CELValue] = []
        for argument in (target.map { [$0] } ?? []) + args {
            let v = eval(argument)
            if v.isError { return v }
            values.append(v)
        }
        guard charge(callCost(function, values)) else { return Self.limitExceeded }
        let ids = Set(checked.overloads[e.id] ?? [])
        let candidates = CELFunctions.overloads(function, member: target != nil, arity: values.count).filter { ids.contains($0.id) }
        guard let overload = CELFunctions.dispatch(candidates, values) else { return .error(.noSuchOverload(function)) }
        return overload.impl(values)
    }

    /// `&&` and `||` with CEL's commutative error handling: a decisive operand wins over an
    /// error on the other side.
    mutating func logical(_ isAnd: Bool, _ lhs: CELExpr, _ rhs: CELExpr) -> CELValue {
        let decisive = !isAnd
        let left = eval(lhs)
        if case .bool(decisive) = left { return left }
        let right = eval(rhs)
        if case .bool(decisive) = right { return right }
        if left.isError { return left }
        if right.isError { return right }
        if case .bool = left, case .bool = right { return .bool(!decisive) }
        return .error(.noSuchOverload(isAnd ? "_&&_" : "_||_"))
    }

    /// The runtime cost of a call: one unit, plus a tenth of a unit per character for
    /// string work (as Kubernetes' cost tracker charges traversals).
    func callCost(_ function: String, _ values: [CELValue]) -> UInt64 {
        var size = 0
        for v in values {
            switch v {
            case .string(let s): size += s.utf8.count
            case .list(let items, _): size += items.count
            default: break
            }
        }
        let traversal = UInt64((Double(size) * 0.1).rounded(.up))
        switch function {
        case "matches", "find", "findAll": return 1 + traversal * 4
        default: return 1 + traversal
        }
    }
}
