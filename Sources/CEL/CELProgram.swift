/// A compiled CEL expression: parsed, type-checked against its variables, with its
/// estimated worst-case cost. Pure: evaluating it reads nothing but its inputs.
public struct CELProgram: Sendable {
    public let source: String
    let checked: CELCheckedExpr
    /// The expression's type (`bool` for validation rules, `string` for messages).
    public var outputType: CELType { checked.outputType }
    /// Whether the expression reads `oldSelf` (a transition rule).
    public let usesOldSelf: Bool
    /// cel-go's estimated cost range of one evaluation.
    public let estimatedCost: CELEstimate

    /// Parses and checks `text` with `self` (and `oldSelf`) of the schema type `selfType`
    /// (nil: `dyn`), plus any other variables.
    public static func compile(
        _ text: String, selfType: CELDeclType?, declareOldSelf: Bool = true, variables: [String: CELType] = [:]
    ) throws(CELCompileError) -> CELProgram {
        let expr = try CELParser.parse(text)
        var declared = variables
        declared["self"] = selfType?.celType ?? .dyn
        if declareOldSelf { declared["oldSelf"] = selfType?.celType ?? .dyn }
        var checker = CELChecker(variables: declared)
        let checkedExpr = checker.check(expr)
        guard checker.issues.isEmpty else {
            throw CELCompileError(source: CELSource(text), issues: Self.dedupe(checker.issues))
        }
        let checked = CELCheckedExpr(expr: checkedExpr, types: checker.types, overloads: checker.overloads)
        var estimator = CELCostEstimator(checked, root: selfType)
        let usesOldSelf = checkedExpr.allNodes.contains { if case .ident("oldSelf") = $0.kind { true } else { false } }
        return CELProgram(source: text, checked: checked, usesOldSelf: usesOldSelf, estimatedCost: estimator.estimate())
    }

    /// The first issue per position (cel-go reports one error per node).
    static func dedupe(_ issues: [CELIssue]) -> [CELIssue] {
        var seen: Set<Int> = []
        return issues.filter { seen.insert($0.offset).inserted }
    }

    /// Evaluates with the given variables. Returns the value (an `.error` for runtime errors,
    /// including `operation cancelled: actual cost limit exceeded`) and the cost spent.
    public func evaluate(_ variables: [String: CELValue], costLimit: UInt64 = CELLimits.perCallLimit) -> (value: CELValue, cost: UInt64) {
        var interpreter = CELInterpreter(checked, variables: variables, costLimit: costLimit)
        let value = interpreter.eval(checked.expr)
        return (value, interpreter.cost)
    }
}
