/// Parses CEL text into a ``CELExpr`` (the grammar of the CEL specification, by recursive
/// descent), expanding macros as cel-go does. Syntax errors carry the offending position.
public struct CELParser {
    let source: CELSource
    var tokens: [CELToken] = []
    var position = 0
    var nextID = 1
    /// Nesting of expressions (parentheses, arguments, elements), bounded like the nesting
    /// of cel-go's `expr` rule.
    var depth = 0
    static let maxDepth = 250
    /// The longest expression cel-go parses (`expressionSizeCodePointLimit`).
    static let maxCodePoints = 100_000
    /// Per node id: the most operations cel-go's parser counts toward its recursion limit on
    /// any path down from the node — relations, arithmetic, selections, member calls,
    /// indexes and conditionals (its `Relation`, `Calc`, `Select`, `MemberCall`, `Index` and
    /// ternary `Expr` nodes). Chains of these are built in loops, so without this count a
    /// long chain became a tree deep enough to overflow the stack when checked, evaluated
    /// or freed.
    var counted: [Int: Int] = [:]
    /// Whether a node built so far exceeds the recursion limit (reported at the next check).
    var tooDeep = false

    public init(_ source: CELSource) { self.source = source }

    /// Parses a whole expression.
    public static func parse(_ text: String) throws(CELCompileError) -> CELExpr {
        let source = CELSource(text)
        let size = text.unicodeScalars.count
        guard size <= maxCodePoints else {
            throw CELCompileError(
                source: source,
                issues: [CELIssue(offset: 0, message: "expression code point size exceeds limit: size: \(size), limit \(maxCodePoints)")])
        }
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
        try checkRecursionLimit()
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
        var below = 0
        for child in kind.children { below = max(below, counted[child.id, default: 0]) }
        let total = below + (Self.countsTowardRecursionLimit(kind) ? 1 : 0)
        counted[nextID] = total
        if total > Self.maxDepth { tooDeep = true }
        return CELExpr(id: nextID, offset: offset, kind: kind)
    }

    /// The node kinds cel-go's parser counts toward its recursion limit.
    static func countsTowardRecursionLimit(_ kind: CELExpr.Kind) -> Bool {
        switch kind {
        case .select, .comprehension: true
        case .call(let function, let target, _):
            target != nil || function == "_[_]" || function == "_?_:_"
                || levels[2...].contains { $0.values.contains(function) }
        default: false
        }
    }

    /// The error of an expression nested beyond the recursion limit, at the current token.
    func recursionLimitExceeded() -> CELIssueList {
        CELIssueList(CELIssue(offset: current.offset, message: "expression recursion limit exceeded: \(Self.maxDepth)"))
    }

    /// Before each operation of a chain: stops building a tree over the recursion limit.
    func checkRecursionLimit() throws(CELIssueList) {
        if tooDeep { throw recursionLimitExceeded() }
    }

    mutating func call(_ function: String, _ args: [CELExpr], at offset: Int, target: CELExpr? = nil) -> CELExpr {
        node(.call(function: function, target: target, args: args), at: offset)
    }

    // MARK: - Grammar

    mutating func expression() throws(CELIssueList) -> CELExpr {
        depth += 1
        defer { depth -= 1 }
        guard depth < Self.maxDepth, !tooDeep else { throw recursionLimitExceeded() }
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
        if level < 2 { return try logical(level: level) }
        var lhs = try binary(level: level + 1)
        while let function = binaryOperator(at: level) {
            try checkRecursionLimit()
            let offset = current.offset
            position += 1
            let rhs = try binary(level: level + 1)
            lhs = call(function, [lhs, rhs], at: offset)
        }
        return lhs
    }

    /// `||` and `&&` chains, as a balanced tree (cel-go's balancer): `a && b && c && d` is
    /// `(a && b) && (c && d)`, so a long conjunction is only log₂ of its length deep.
    mutating func logical(level: Int) throws(CELIssueList) -> CELExpr {
        var terms = [try binary(level: level + 1)]
        var offsets: [Int] = []
        var operation = ""
        while let function = binaryOperator(at: level) {
            operation = function
            offsets.append(current.offset)
            position += 1
            terms.append(try binary(level: level + 1))
        }
        guard terms.count > 1 else { return terms[0] }
        return balanced(operation, terms, offsets, 0, offsets.count - 1)
    }

    /// The operation `offsets[mid]` over the balanced trees of its left and right terms.
    mutating func balanced(_ function: String, _ terms: [CELExpr], _ offsets: [Int], _ lo: Int, _ hi: Int) -> CELExpr {
        let mid = (lo + hi + 1) / 2
        let left = mid == lo ? terms[mid] : balanced(function, terms, offsets, lo, mid - 1)
        let right = mid == hi ? terms[mid + 1] : balanced(function, terms, offsets, mid + 1, hi)
        return call(function, [left, right], at: offsets[mid])
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
        // A run of `!` or `-` cancels in pairs, as in cel-go (`!!x` is `x`): at most one
        // operator is left.
        if accept("!") {
            var count = 1
            while accept("!") { count += 1 }
            let operand = try member()
            return count % 2 == 0 ? operand : call("!_", [operand], at: offset)
        }
        if accept("-") {
            var count = 1
            while accept("-") { count += 1 }
            let operand = try member()
            guard count % 2 == 1 else { return operand }
            if case .literal(let lit) = operand.kind, let negated = Self.negate(lit) {
                return node(.literal(negated), at: offset)
            }
            return call("-_", [operand], at: offset)
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
