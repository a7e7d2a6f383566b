/// The result of type-checking: the expression (with qualified function names resolved),
/// the type of every node and the overloads each call may use.
public struct CELCheckedExpr: Sendable {
    public var expr: CELExpr
    public var types: [Int: CELType]
    /// Candidate overload ids by call node id.
    var overloads: [Int: [String]]

    /// The type of the whole expression.
    public var outputType: CELType { types[expr.id] ?? .error }
}

/// Type-checks a parsed expression against declared variables, as cel-go's checker does
/// for the constructs slipway dev supports: identifiers, field selection on schema
/// objects, overload resolution with type parameters, homogeneous literals and
/// comprehensions.
struct CELChecker {
    let variables: [String: CELType]
    var scopes: [[String: CELType]] = []
    var types: [Int: CELType] = [:]
    var overloads: [Int: [String]] = [:]
    var issues: [CELIssue] = []

    init(variables: [String: CELType]) { self.variables = variables }

    static let typeIdentifiers: [String: CELType] = [
        "int": .int, "uint": .uint, "double": .double, "bool": .bool, "string": .string, "bytes": .bytes,
        "null_type": .null, "list": .list(.dyn), "map": .map(.dyn, .dyn), "dyn": .dyn, "type": .type(nil),
        "google.protobuf.Duration": .duration, "google.protobuf.Timestamp": .timestamp,
    ]

    mutating func check(_ e: CELExpr) -> CELExpr {
        var out = e
        let type: CELType
        switch e.kind {
        case .literal(let literal): type = Self.literalType(literal)
        case .ident(let name): type = identType(name, at: e.offset)
        case .select(let operand, let field, let testOnly):
            let checked = check(operand)
            out.kind = .select(operand: checked, field: field, testOnly: testOnly)
            type = selectType(types[checked.id] ?? .error, field, testOnly: testOnly, at: e.offset)
        case .call(let function, let target, let args):
            (out, type) = checkCall(e, function, target, args)
        case .list(let items):
            let checked = items.map { check($0) }
            out.kind = .list(checked)
            type = .list(join(checked.map { types[$0.id] ?? .error }, at: e.offset))
        case .map(let entries):
            let checked = entries.map { CELExpr.MapEntry(key: check($0.key), value: check($0.value)) }
            out.kind = .map(checked)
            type = .map(join(checked.map { types[$0.key.id] ?? .error }, at: e.offset), join(checked.map { types[$0.value.id] ?? .error }, at: e.offset))
        case .comprehension(let c):
            (out, type) = checkComprehension(e, c)
        }
        types[e.id] = type
        return out
    }

    static func literalType(_ literal: CELLiteral) -> CELType {
        switch literal {
        case .int: .int
        case .uint: .uint
        case .double: .double
        case .string: .string
        case .bytes: .bytes
        case .bool: .bool
        case .null: .null
        }
    }

    mutating func identType(_ name: String, at offset: Int) -> CELType {
        for scope in scopes.reversed() { if let t = scope[name] { return t } }
        if let t = variables[name] { return t }
        if let t = Self.typeIdentifiers[name] { return .type(t) }
        issues.append(CELIssue(offset: offset, message: "undeclared reference to '\(name)' (in container '')"))
        return .error
    }

    mutating func selectType(_ operand: CELType, _ field: String, testOnly: Bool, at offset: Int) -> CELType {
        let result: CELType
        switch operand {
        case .object(let object):
            guard let f = object.decl.fields[field] else {
                issues.append(CELIssue(offset: offset, message: "undefined field '\(field)'"))
                return .error
            }
            result = f.type.celType
        case .map(let key, let value) where key == .string || key.isDynamic: result = value
        case .dyn, .error, .param: result = .dyn
        default:
            issues.append(CELIssue(offset: offset, message: "type '\(operand)' does not support field selection"))
            return .error
        }
        return testOnly ? .bool : result
    }

    /// The common type of literal elements (cel-go's homogeneous aggregate literals).
    mutating func join(_ elements: [CELType], at offset: Int) -> CELType {
        guard var common = elements.first else { return .dyn }
        for t in elements.dropFirst() {
            if t == common || t.isDynamic { continue }
            if common.isDynamic { common = t; continue }
            issues.append(CELIssue(offset: offset, message: "expected type '\(common)' but found '\(t)'"))
            return .error
        }
        return common
    }

    mutating func checkComprehension(_ e: CELExpr, _ c: CELExpr.Comprehension) -> (CELExpr, CELType) {
        var c = c
        c.iterRange = check(c.iterRange)
        let iterType = rangeElementType(types[c.iterRange.id] ?? .error, at: c.iterRange.offset)
        c.accuInit = check(c.accuInit)
        var accuType = types[c.accuInit.id] ?? .error
        scopes.append([c.iterVar: iterType, c.accuVar: accuType])
        c.loopCondition = check(c.loopCondition)
        c.loopStep = check(c.loopStep)
        if case .list(let element) = accuType, element.isDynamic, case .list(let stepElement)? = types[c.loopStep.id] {
            accuType = .list(stepElement)
            scopes[scopes.count - 1][c.accuVar] = accuType
        }
        scopes.removeLast()
        scopes.append([c.accuVar: accuType])
        c.result = check(c.result)
        scopes.removeLast()
        var out = e
        out.kind = .comprehension(c)
        return (out, types[c.result.id] ?? .error)
    }

    /// The type a comprehension's variable takes over a range: list elements or map keys.
    mutating func rangeElementType(_ range: CELType, at offset: Int) -> CELType {
        switch range {
        case .list(let element): return element
        case .map(let key, _): return key
        case .object: return .string
        case .dyn, .error, .param: return .dyn
        default:
            issues.append(CELIssue(offset: offset, message: "expression of type '\(range)' cannot be range of a comprehension (must be list, map, or dynamic)"))
            return .error
        }
    }
}
