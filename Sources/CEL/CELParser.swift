/// Parses CEL text into a ``CELExpr`` (the grammar of the CEL specification, by recursive
/// descent), expanding macros as cel-go does. Syntax errors carry the offending position.
public struct CELParser {
    let source: CELSource
    var tokens: [CELToken] = []
    var position = 0
    var nextID = 1
    /// Nesting of the expression, bounded like cel-go's parser (recursion limit).
    var depth = 0
    static let maxDepth = 250

    public init(_ source: CELSource) { self.source = source }

    /// Parses a whole expression.
    public static func parse(_ text: String) throws(CELCompileError) -> CELExpr {
        let source = CELSource(text)
        var parser = CELParser(source)
        do {
            return try parser.parseAll()
        } catch {
            throw CELCompileError(source: source, issues: error.issues)
        }
    }

    mutating func parseAll() throws(CELIssueList) -> CELExpr {
        var lexer = CELLexer(source)
        tokens = try lexer.tokens()
        let expr = try expression()
        guard case .end = current.kind else { throw unexpected(expecting: "<EOF>") }
        return expr
    }

    // MARK: - Tokens

    var current: CELToken { tokens[min(position, tokens.count - 1)] }

    func isPunct(_ p: String) -> Bool {
        if case .punct(let q) = current.kind { return p == q }
        return false
    }

    mutating func accept(_ p: String) -> Bool {
        guard isPunct(p) else { return false }
        position += 1
        return true
    }

    mutating func expect(_ p: String) throws(CELIssueList) {
        guard accept(p) else { throw unexpected(expecting: "'\(p)'") }
    }

    func unexpected(expecting: String) -> CELIssueList {
        let token = current
        let verb = token.kind == .end ? "mismatched input" : "extraneous input"
        return CELIssueList(CELIssue(offset: token.offset, message: "Syntax error: \(verb) \(token.display) expecting \(expecting)"))
    }

    mutating func node(_ kind: CELExpr.Kind, at offset: Int) -> CELExpr {
        defer { nextID += 1 }
        return CELExpr(id: nextID, offset: offset, kind: kind)
    }

    mutating func call(_ function: String, _ args: [CELExpr], at offset: Int, target: CELExpr? = nil) -> CELExpr {
        node(.call(function: function, target: target, args: args), at: offset)
    }

    // MARK: - Grammar

    mutating func expression() throws(CELIssueList) -> CELExpr {
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maxDepth else {
            throw CELIssueList(CELIssue(offset: current.offset, message: "expression recursion limit exceeded: \(Self.maxDepth)"))
        }
        let condition = try binary(level: 0)
        guard isPunct("?") else { return condition }
        let offset = current.offset
        position += 1
        let ifTrue = try binary(level: 0)
        try expect(":")
        let ifFalse = try expression()
        return call("_?_:_", [condition, ifTrue, ifFalse], at: offset)
    }

    /// Binary operators by precedence level: `||`, `&&`, relations, `+ -`, `* / %`.
    static let levels: [[String: String]] = [
        ["||": "_||_"],
        ["&&": "_&&_"],
        ["<": "_<_", "<=": "_<=_", ">": "_>_", ">=": "_>=_", "==": "_==_", "!=": "_!=_", "in": "@in"],
        ["+": "_+_", "-": "_-_"],
        ["*": "_*_", "/": "_/_", "%": "_%_"],
    ]

    mutating func binary(level: Int) throws(CELIssueList) -> CELExpr {
        guard level < Self.levels.count else { return try unary() }
        var lhs = try binary(level: level + 1)
        while let function = binaryOperator(at: level) {
            let offset = current.offset
            position += 1
            let rhs = try binary(level: level + 1)
            lhs = call(function, [lhs, rhs], at: offset)
        }
        return lhs
    }

    func binaryOperator(at level: Int) -> String? {
        switch current.kind {
        case .punct(let p): return Self.levels[level][p]
        case .identifier("in"): return Self.levels[level]["in"]
        default: return nil
        }
    }

    mutating func unary() throws(CELIssueList) -> CELExpr {
        let offset = current.offset
        if accept("!") {
            var count = 1
            while accept("!") { count += 1 }
            var operand = try member()
            for _ in 0..<count { operand = call("!_", [operand], at: offset) }
            return operand
        }
        if accept("-") {
            var count = 1
            while accept("-") { count += 1 }
            var operand = try member()
            if count % 2 == 1, case .literal(let lit) = operand.kind, let negated = Self.negate(lit) {
                operand = node(.literal(negated), at: offset)
                count -= 1
            }
            for _ in 0..<count { operand = call("-_", [operand], at: offset) }
            return operand
        }
        return try member()
    }

    static func negate(_ literal: CELLiteral) -> CELLiteral? {
        switch literal {
        case .int(let i) where i != .min: .int(-i)
        case .uint(let u) where u == 1 << 63: .int(.min)
        case .double(let d): .double(-d)
        default: nil
        }
    }
}
