extension CELChecker {
    mutating func checkCall(_ e: CELExpr, _ function: String, _ target: CELExpr?, _ args: [CELExpr]) -> (CELExpr, CELType) {
        var function = function
        var target = target
        // `sets.contains(a, b)`: a qualified global function, not a member call on `sets`.
        if let t = target, case .ident(let name) = t.kind, identifierUnknown(name), CELFunctions.all["\(name).\(function)"] != nil {
            function = "\(name).\(function)"
            target = nil
        }
        let checkedTarget = target.map { check($0) }
        let checkedArgs = args.map { check($0) }
        var out = e
        out.kind = .call(function: function, target: checkedTarget, args: checkedArgs)
        let argTypes = (checkedTarget.map { [$0] } ?? []) + checkedArgs
        let types = argTypes.map { self.types[$0.id] ?? .error }
        if types.contains(.error) { return (out, .error) }
        return (out, resolve(function, member: target != nil, types, call: e))
    }

    func identifierUnknown(_ name: String) -> Bool {
        !scopes.contains { $0[name] != nil } && variables[name] == nil
    }

    /// The result type of a call, recording its candidate overloads.
    mutating func resolve(_ function: String, member: Bool, _ types: [CELType], call e: CELExpr) -> CELType {
        guard CELFunctions.all[function] != nil else {
            issues.append(CELIssue(offset: e.offset, message: "undeclared reference to '\(function)' (in container '')"))
            return .error
        }
        var results: [CELType] = []
        var ids: [String] = []
        for overload in CELFunctions.overloads(function, member: member, arity: types.count) {
            var bindings: [String: CELType] = [:]
            guard zip(overload.params, types).allSatisfy({ CELTypeMatcher.accepts($0, $1, &bindings) }) else { continue }
            ids.append(overload.id)
            results.append(CELTypeMatcher.substitute(overload.result, bindings))
        }
        guard let first = results.first else {
            let shown = member
                ? "\(types[0]).(\(types.dropFirst().map(\.description).joined(separator: ", ")))"
                : "(\(types.map(\.description).joined(separator: ", ")))"
            issues.append(CELIssue(offset: e.offset, message: "found no matching overload for '\(function)' applied to '\(shown)'"))
            return .error
        }
        overloads[e.id] = ids
        if function == "_?_:_" { return conditionalType(types) }
        return results.allSatisfy { $0 == first } ? first : .dyn
    }

    /// The type of `c ? a : b`: the branches' common type.
    func conditionalType(_ types: [CELType]) -> CELType {
        let (a, b) = (types[1], types[2])
        if a == b { return a }
        if a.isDynamic { return b.isDynamic ? .dyn : b }
        if b.isDynamic { return a }
        if case .list(let x) = a, case .list(let y) = b { return .list(x.isDynamic ? y : x) }
        return .dyn
    }
}
