extension CELParser {
    /// A global call, or the `has()` macro.
    mutating func globalCall(_ name: String, args: [CELExpr], at offset: Int) throws(CELIssueList) -> CELExpr {
        guard name == "has" else { return call(name, args, at: offset) }
        guard args.count == 1, case .select(let operand, let field, _) = args[0].kind else {
            throw CELIssueList(CELIssue(offset: offset, message: "invalid argument to has() macro"))
        }
        return node(.select(operand: operand, field: field, testOnly: true), at: offset)
    }

    /// A member call, or one of the comprehension macros on `target`.
    mutating func memberCall(_ name: String, target: CELExpr, args: [CELExpr], at offset: Int) throws(CELIssueList) -> CELExpr {
        let macros: Set<String> = ["all", "exists", "exists_one", "existsOne", "map", "filter", "transformList", "transformMap"]
        guard macros.contains(name), args.count >= 2 else { return call(name, args, at: offset, target: target) }
        guard case .ident(let variable) = args[0].kind else {
            throw CELIssueList(CELIssue(offset: args[0].offset, message: "argument must be a simple name"))
        }
        if args.count == 3, case .ident = args[1].kind, name != "map" {
            throw CELIssueList(CELIssue(offset: offset, message: "two-variable comprehension \(name)() is not supported by slipway dev"))
        }
        switch (name, args.count) {
        case ("all", 2): return fold(target, variable, quantifier: .all, args[1], at: offset)
        case ("exists", 2): return fold(target, variable, quantifier: .exists, args[1], at: offset)
        case ("exists_one", 2), ("existsOne", 2): return existsOne(target, variable, args[1], at: offset)
        case ("map", 2): return mapMacro(target, variable, filter: nil, transform: args[1], at: offset)
        case ("map", 3): return mapMacro(target, variable, filter: args[1], transform: args[2], at: offset)
        case ("filter", 2): return mapMacro(target, variable, filter: args[1], transform: node(.ident(variable), at: args[0].offset), at: offset)
        default:
            throw CELIssueList(CELIssue(offset: offset, message: "no matching macro \(name)() with \(args.count) arguments"))
        }
    }

    enum Quantifier { case all, exists }

    /// `all`: fold with `@result && p` while not strictly false; `exists`: `@result || p`
    /// while not strictly true.
    mutating func fold(_ range: CELExpr, _ variable: String, quantifier: Quantifier, _ predicate: CELExpr, at offset: Int) -> CELExpr {
        let isAll = quantifier == .all
        let initial = node(.literal(.bool(isAll)), at: offset)
        var accu = node(.ident(celAccumulator), at: offset)
        if !isAll { accu = call("!_", [accu], at: offset) }
        let condition = call("@not_strictly_false", [accu], at: offset)
        let step = call(isAll ? "_&&_" : "_||_", [node(.ident(celAccumulator), at: offset), predicate], at: offset)
        let result = node(.ident(celAccumulator), at: offset)
        return comprehension(range, variable, initial, condition, step, result, at: offset)
    }

    mutating func existsOne(_ range: CELExpr, _ variable: String, _ predicate: CELExpr, at offset: Int) -> CELExpr {
        let initial = node(.literal(.int(0)), at: offset)
        let condition = node(.literal(.bool(true)), at: offset)
        let increment = call("_+_", [node(.ident(celAccumulator), at: offset), node(.literal(.int(1)), at: offset)], at: offset)
        let step = call("_?_:_", [predicate, increment, node(.ident(celAccumulator), at: offset)], at: offset)
        let result = call("_==_", [node(.ident(celAccumulator), at: offset), node(.literal(.int(1)), at: offset)], at: offset)
        return comprehension(range, variable, initial, condition, step, result, at: offset)
    }

    mutating func mapMacro(_ range: CELExpr, _ variable: String, filter: CELExpr?, transform: CELExpr, at offset: Int) -> CELExpr {
        let initial = node(.list([]), at: offset)
        let condition = node(.literal(.bool(true)), at: offset)
        let append = call("_+_", [node(.ident(celAccumulator), at: offset), node(.list([transform]), at: offset)], at: offset)
        var step = append
        if let filter { step = call("_?_:_", [filter, append, node(.ident(celAccumulator), at: offset)], at: offset) }
        let result = node(.ident(celAccumulator), at: offset)
        return comprehension(range, variable, initial, condition, step, result, at: offset)
    }

    mutating func comprehension(
        _ range: CELExpr, _ variable: String, _ initial: CELExpr, _ condition: CELExpr, _ step: CELExpr, _ result: CELExpr, at offset: Int
    ) -> CELExpr {
        node(.comprehension(CELExpr.Comprehension(
            iterRange: range, iterVar: variable, accuVar: celAccumulator, accuInit: initial,
            loopCondition: condition, loopStep: step, result: result)), at: offset)
    }
}
