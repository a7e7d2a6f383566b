/// Estimates the worst-case cost of a checked expression the way cel-go's checker does with
/// Kubernetes' cost estimator: identifiers and selections cost 1 (presence tests 0),
/// constants 0, calls by their overload (string work by the declared `maxLength`,
/// comprehensions by the declared `maxItems`/`maxProperties`), sizes taken from the schema
/// along each value's path (`self.names.@items`).
struct CELCostEstimator {
    let checked: CELCheckedExpr
    /// The schema type of `self` (and `oldSelf`).
    let root: CELDeclType?
    var paths: [Int: [String]] = [:]
    var sizes: [Int: CELEstimate] = [:]
    var locals: [String: [(path: [String], size: CELEstimate?)]] = [:]

    init(_ checked: CELCheckedExpr, root: CELDeclType?) {
        self.checked = checked
        self.root = root
    }

    mutating func estimate() -> CELEstimate { cost(checked.expr) }

    mutating func cost(_ e: CELExpr) -> CELEstimate {
        switch e.kind {
        case .literal: return .zero
        case .ident(let name):
            paths[e.id] = locals[name]?.last?.path ?? [name]
            return .fixed(1)
        case .select(let operand, let field, let testOnly):
            var sum = cost(operand)
            if testOnly { return sum }
            switch checked.types[operand.id] ?? .dyn {
            case .map, .object, .param: sum = sum.adding(.fixed(1))
            default: break
            }
            paths[e.id] = path(operand) + [field]
            return sum
        case .call(let function, let target, let args):
            return callCost(e, function, target, args)
        case .list(let items):
            return items.reduce(CELEstimate.fixed(CELCostFactors.createList)) { $0.adding(cost($1)) }
        case .map(let entries):
            return entries.reduce(CELEstimate.fixed(CELCostFactors.createMap)) { $0.adding(cost($1.key)).adding(cost($1.value)) }
        case .comprehension(let c):
            return comprehensionCost(e, c)
        }
    }

    mutating func comprehensionCost(_ e: CELExpr, _ c: CELExpr.Comprehension) -> CELEstimate {
        var sum = cost(c.iterRange).adding(cost(c.accuInit))
        locals[c.accuVar, default: []].append((path(c.accuInit), size(c.accuInit)))
        let isList: Bool = if case .list = checked.types[c.iterRange.id] ?? .dyn { true } else { false }
        let elementSize = isList ? literalElementSize(c.iterRange) : nil
        locals[c.iterVar, default: []].append((path(c.iterRange) + [isList ? "@items" : "@keys"], isList ? elementSize : nil))
        let loop = cost(c.loopCondition)
        let step = cost(c.loopStep)
        locals[c.iterVar]?.removeLast()
        sum = sum.adding(cost(c.result))
        locals[c.accuVar]?.removeLast()
        let count = size(c.iterRange) ?? .unknown
        if case .list = c.accuInit.kind { sizes[e.id] = count } else if let s = size(c.accuInit) { sizes[e.id] = s }
        return sum.adding(count.multiplied(by: step.adding(loop)))
    }

    /// The union of the sizes of a list literal's elements.
    func literalElementSize(_ e: CELExpr) -> CELEstimate? {
        guard case .list(let items) = e.kind, let first = items.first else { return nil }
        return items.dropFirst().reduce(sizeOrUnknown(first)) { $0.union(sizeOrUnknown($1)) }
    }

    func path(_ e: CELExpr) -> [String] {
        if case .ident(let name) = e.kind, let local = locals[name]?.last { return local.path }
        return paths[e.id] ?? []
    }

    /// The size of a value (characters, items, entries): computed, literal, from the schema
    /// along its path, from its type, or from a local variable; nil when unknown.
    func size(_ e: CELExpr) -> CELEstimate? {
        if let s = sizes[e.id] { return s }
        switch e.kind {
        case .literal(.string(let s)): return .fixed(UInt64(s.unicodeScalars.count))
        case .literal(.bytes(let b)): return .fixed(UInt64(b.count))
        case .literal: return .fixed(1)
        case .list(let items): return .fixed(UInt64(items.count))
        case .map(let entries): return .fixed(UInt64(entries.count))
        default: break
        }
        if let s = schemaSize(path(e)) { return s }
        switch checked.types[e.id] ?? .dyn {
        case .bool, .double, .duration, .int, .timestamp, .uint, .null: return .fixed(1)
        default: break
        }
        if case .ident(let name) = e.kind, let local = locals[name]?.last, let s = local.size { return s }
        return nil
    }

    /// Kubernetes' size estimator: walks the schema from `self` along the path. Like
    /// Kubernetes' it takes any path to start at `self` (it skips the first element), so a
    /// type name such as `int` in `type(self) == int` has the size of `self`.
    func schemaSize(_ path: [String]) -> CELEstimate? {
        guard path.count > 0, var node = root else { return nil }
        for step in path.dropFirst() {
            switch step {
            case "@items", "@values":
                guard let elem = node.elem else { return nil }
                node = elem
            case "@keys":
                guard node.kind == .map else { return nil }
                node = CELDeclType(kind: .string, maxElements: CELLimits.maxRequestSizeBytes - 2)
            default:
                guard let field = node.fields[step] else { return nil }
                node = field.type
            }
        }
        return CELEstimate(min: 0, max: UInt64(max(0, node.maxElements)))
    }

    func sizeOrUnknown(_ e: CELExpr) -> CELEstimate { size(e) ?? .unknown }
}
