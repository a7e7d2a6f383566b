/// Evaluates a checked expression over variables, tracking a runtime cost (one unit per
/// identifier, selection and call, string work by length) and stopping with an error when
/// it passes the limit, so that no rule runs unbounded.
struct CELInterpreter {
    let checked: CELCheckedExpr
    let costLimit: UInt64
    var cost: UInt64 = 0
    var scopes: [[String: CELValue]]

    init(_ checked: CELCheckedExpr, variables: [String: CELValue], costLimit: UInt64) {
        self.checked = checked
        self.costLimit = costLimit
        scopes = [variables]
    }

    static let limitExceeded = CELValue.error(CELEvalError("operation cancelled: actual cost limit exceeded"))

    mutating func charge(_ units: UInt64) -> Bool {
        cost = cost.addingReportingOverflow(units).overflow ? .max : cost + units
        return cost <= costLimit
    }

    mutating func eval(_ e: CELExpr) -> CELValue {
        switch e.kind {
        case .literal(let l): return Self.value(l)
        case .ident(let name):
            guard charge(1) else { return Self.limitExceeded }
            for scope in scopes.reversed() { if let v = scope[name] { return v } }
            if let t = CELChecker.typeIdentifiers[name] { return .type(t) }
            return .error(CELEvalError("no such attribute: \(name)"))
        case .select(let operand, let field, let testOnly):
            let base = eval(operand)
            if testOnly { return base.hasMember(field) }
            guard charge(1) else { return Self.limitExceeded }
            return base.member(field)
        case .call(let function, let target, let args):
            return call(e, function, target, args)
        case .list(let items):
            guard charge(10) else { return Self.limitExceeded }
            var values: [CELValue] = []
            for item in items {
                let v = eval(item)
                if v.isError { return v }
                values.append(v)
            }
            return .list(values, nil)
        case .map(let entries):
            guard charge(30) else { return Self.limitExceeded }
            var out: [CELMapEntry] = []
            for entry in entries {
                let k = eval(entry.key)
                if k.isError { return k }
                let v = eval(entry.value)
                if v.isError { return v }
                if out.contains(where: { CELValue.isEqual($0.key, k) }) { return .error(CELEvalError("Failed with repeated key")) }
                out.append(CELMapEntry(key: k, value: v))
            }
            return .map(out)
        case .comprehension(let c):
            return comprehension(c)
        }
    }

    static func value(_ literal: CELLiteral) -> CELValue {
        switch literal {
        case .int(let i): .int(i)
        case .uint(let u): .uint(u)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .bytes(let b): .bytes(b)
        case .bool(let b): .bool(b)
        case .null: .null
        }
    }

    mutating func comprehension(_ c: CELExpr.Comprehension) -> CELValue {
        let range = eval(c.iterRange)
        let elements: [CELValue]
        switch range {
        case .list(let items, _): elements = items
        case .error: return range
        default:
            guard let entries = range.mapEntries else { return .error(CELEvalError("cannot range over \(range.type)")) }
            elements = entries.map(\.key)
        }
        var accu = eval(c.accuInit)
        for element in elements {
            guard charge(1) else { return Self.limitExceeded }
            scopes.append([c.iterVar: element, c.accuVar: accu])
            let proceed = eval(c.loopCondition)
            if case .bool(false) = proceed {
                scopes.removeLast()
                break
            }
            accu = eval(c.loopStep)
            scopes.removeLast()
        }
        scopes.append([c.accuVar: accu])
        defer { scopes.removeLast() }
        return eval(c.result)
    }
}
