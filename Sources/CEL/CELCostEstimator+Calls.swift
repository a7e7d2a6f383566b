extension CELCostEstimator {
    mutating func callCost(_ e: CELExpr, _ function: String, _ target: CELExpr?, _ args: [CELExpr]) -> CELEstimate {
        if function == "dyn", let arg = args.first {
            let c = cost(arg)
            if let s = size(arg) { sizes[e.id] = s }
            return CELEstimate.fixed(1).adding(c)
        }
        let argCosts = args.map { cost($0) }
        var sum = CELEstimate.zero
        if let target { sum = cost(target) }
        let ids = checked.overloads[e.id] ?? []
        guard !ids.isEmpty else { return .zero }
        var fnCost = CELEstimate(min: .max, max: 0)
        var resultSize: CELEstimate?
        for id in ids {
            let (c, s) = functionCost(function, id, target, args, argCosts)
            fnCost = fnCost.union(c)
            if let s { resultSize = resultSize.map { $0.union(s) } ?? s }
            if id == "index_list" || id == "index_map", let container = args.first {
                paths[e.id] = path(container) + [id == "index_list" ? "@items" : "@values"]
            }
        }
        if let resultSize { sizes[e.id] = resultSize }
        return sum.adding(fnCost)
    }

    /// The cost of one overload (arguments included) and the size of its result.
    mutating func functionCost(
        _ function: String, _ id: String, _ target: CELExpr?, _ args: [CELExpr], _ argCosts: [CELEstimate]
    ) -> (CELEstimate, CELEstimate?) {
        let argSum = argCosts.reduce(CELEstimate.zero) { $0.adding($1) }
        if let (c, s) = kubernetesCost(function, id, target, args) { return (c.adding(argSum), s) }
        let traversal = CELCostFactors.stringTraversal
        switch id {
        case "starts_with_string", "ends_with_string":
            return (sizeOrUnknown(args[0]).scaled(traversal).adding(argSum), nil)
        case "in_list":
            return (sizeOrUnknown(args[1]).adding(argSum), nil)
        case "matches_string":
            guard let target else { break }
            let stringCost = sizeOrUnknown(target).adding(.fixed(1)).scaled(traversal)
            let regexCost = sizeOrUnknown(args[0]).scaled(CELCostFactors.regexStringLength)
            return (stringCost.multiplied(by: regexCost).adding(argSum), nil)
        case "contains_string":
            guard let target else { break }
            return (sizeOrUnknown(target).scaled(traversal).multiplied(by: sizeOrUnknown(args[0]).scaled(traversal)).adding(argSum), nil)
        case "logical_and", "logical_or":
            return (CELEstimate(min: argCosts[0].min, max: argCosts[0].adding(argCosts[1]).max), nil)
        case "conditional":
            let size = sizeOrUnknown(args[1]).union(sizeOrUnknown(args[2]))
            return (argCosts[0].adding(argCosts[1].union(argCosts[2])), size)
        case "add_string", "add_bytes", "add_list":
            let size = sizeOrUnknown(args[0]).adding(sizeOrUnknown(args[1]))
            if id == "add_list" { return (CELEstimate.fixed(1).adding(argSum), size) }
            return (size.scaled(traversal).adding(argSum), size)
        case "equals", "not_equals", "less_string", "less_equals_string", "greater_string", "greater_equals_string",
             "less_bytes", "less_equals_bytes", "greater_bytes", "greater_equals_bytes":
            let smallest = Swift.min(sizeOrUnknown(args[0]).max, sizeOrUnknown(args[1]).max)
            return (CELEstimate(min: smallest > 0 ? 1 : 0, max: smallest).scaled(traversal).adding(argSum), nil)
        default: break
        }
        return (CELEstimate.fixed(1).adding(argSum), nil)
    }

    /// Kubernetes' `library.CostEstimator.EstimateCallCost` for the functions slipway dev
    /// provides; nil where it leaves the estimate to cel-go.
    func kubernetesCost(_ function: String, _ id: String, _ target: CELExpr?, _ args: [CELExpr]) -> (CELEstimate, CELEstimate?)? {
        let traversal = CELCostFactors.stringTraversal
        switch function {
        case "isSorted", "sum", "max", "min", "indexOf", "lastIndexOf":
            guard let target else { return nil }
            if case .list(let element) = checked.types[target.id] ?? .dyn {
                var elementCost = CELEstimate.fixed(1)
                if element == .string || element == .bytes {
                    let itemSize = schemaSize(path(target) + ["@items"]) ?? .unknown
                    elementCost = elementCost.adding(itemSize.scaled(traversal))
                }
                return (sizeOrUnknown(target).multiplied(by: elementCost), nil)
            }
            return (sizeOrUnknown(target).scaled(traversal), nil)
        case "lowerAscii", "upperAscii", "substring", "trim":
            guard let target else { return nil }
            let size = sizeOrUnknown(target)
            return (size.scaled(traversal), size)
        case "replace", "split":
            guard let target else { return nil }
            let size = sizeOrUnknown(target)
            return (size.scaled(2 * traversal), function == "split" ? CELEstimate(min: 0, max: size.max) : .unknown)
        case "join":
            guard let target else { return nil }
            let listSize = sizeOrUnknown(target)
            var size = listSize.multiplied(by: schemaSize(path(target) + ["@items"]) ?? .unknown)
            if let separator = args.first {
                let count = CELEstimate(min: listSize.min > 0 ? listSize.min - 1 : 0, max: listSize.max > 0 ? listSize.max - 1 : 0)
                size = size.adding(sizeOrUnknown(separator).multiplied(by: count))
            }
            return (size.scaled(traversal), size)
        case "find", "findAll":
            guard let target, let pattern = args.first else { return nil }
            let size = sizeOrUnknown(target)
            let stringCost = size.adding(.fixed(1)).scaled(traversal)
            let regexCost = sizeOrUnknown(pattern).scaled(CELCostFactors.regexStringLength)
            return (stringCost.multiplied(by: regexCost), CELEstimate(min: 0, max: size.max))
        case "quantity", "isQuantity":
            guard let arg = args.first else { return nil }
            return (sizeOrUnknown(arg).scaled(traversal), nil)
        case "sign", "asInteger", "isInteger", "asApproximateFloat", "isGreaterThan", "isLessThan", "compareTo", "add", "sub":
            return (.fixed(1), nil)
        case "_==_":
            if args.count == 2, checked.types[args[0].id] == .quantity, checked.types[args[1].id] == .quantity { return (.fixed(1), nil) }
            return nil
        default:
            return nil
        }
    }
}
