/// One overload of a CEL function: its parameter types (the receiver first for member
/// functions), its result type and its implementation.
struct CELOverload: Sendable {
    let id: String
    let function: String
    let member: Bool
    let params: [CELType]
    let result: CELType
    let impl: @Sendable ([CELValue]) -> CELValue
}

/// The functions slipway dev's CEL knows: the standard library, the `strings` extension,
/// Kubernetes' quantity, list and regex libraries and the `sets` extension.
enum CELFunctions {
    static let all: [String: [CELOverload]] = {
        let overloads = operators + comparisons + conversions + strings + lists + quantities
        return Dictionary(grouping: overloads, by: \.function)
    }()

    /// Functions evaluated by the interpreter itself (not strict in their arguments).
    static let special: Set<String> = ["_&&_", "_||_", "_?_:_", "@not_strictly_false"]

    static func f(
        _ function: String, _ id: String, _ params: [CELType], _ result: CELType, member: Bool = false,
        _ impl: @escaping @Sendable ([CELValue]) -> CELValue
    ) -> CELOverload {
        CELOverload(id: id, function: function, member: member, params: params, result: result, impl: impl)
    }

    static func overloads(_ function: String, member: Bool, arity: Int) -> [CELOverload] {
        (all[function] ?? []).filter { $0.member == member && $0.params.count == arity }
    }

    /// The overload a runtime call uses: the first candidate whose parameters accept the
    /// arguments' runtime types.
    static func dispatch(_ candidates: [CELOverload], _ args: [CELValue]) -> CELOverload? {
        candidates.first { overload in
            var bindings: [String: CELType] = [:]
            return zip(overload.params, args).allSatisfy { CELTypeMatcher.accepts($0, $1.type, &bindings) }
        }
    }
}

/// Assignability of types with overload type parameters (`A`, `K`, `V`).
enum CELTypeMatcher {
    /// Whether a value of type `arg` may be passed for `param`, binding parameters.
    static func accepts(_ param: CELType, _ arg: CELType, _ bindings: inout [String: CELType]) -> Bool {
        if arg.isDynamic || param == .dyn { return true }
        switch (param, arg) {
        case (.param(let name), _):
            if let bound = bindings[name], !bound.isDynamic { return accepts(bound, arg, &bindings) || accepts(arg, bound, &bindings) }
            bindings[name] = arg
            return true
        case (.list(let p), .list(let a)): return accepts(p, a, &bindings)
        case (.map(let pk, let pv), .map(let ak, let av)): return accepts(pk, ak, &bindings) && accepts(pv, av, &bindings)
        case (.type, .type): return true
        default: return param == arg
        }
    }

    /// `type` with its parameters replaced by their bindings (unbound ones by `dyn`).
    static func substitute(_ type: CELType, _ bindings: [String: CELType]) -> CELType {
        switch type {
        case .param(let name): bindings[name] ?? .dyn
        case .list(let e): .list(substitute(e, bindings))
        case .map(let k, let v): .map(substitute(k, bindings), substitute(v, bindings))
        case .type(let t?): .type(substitute(t, bindings))
        default: type
        }
    }
}
