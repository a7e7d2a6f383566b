/// A parsed CEL expression: a tree of nodes, each with a unique id and the scalar offset
/// where it starts. Macros (`has`, `all`, `exists`, `exists_one`, `map`, `filter`) are
/// expanded at parse time into selections and comprehensions, as cel-go expands them.
public struct CELExpr: Sendable, Hashable {
    public var id: Int
    public var offset: Int
    public var kind: Kind

    public indirect enum Kind: Sendable, Hashable {
        case literal(CELLiteral)
        case ident(String)
        /// `operand.field`; `testOnly` for `has(operand.field)`.
        case select(operand: CELExpr, field: String, testOnly: Bool)
        /// A function or operator call (`_+_`, `size`, `x.startsWith(y)` with a target).
        case call(function: String, target: CELExpr?, args: [CELExpr])
        case list([CELExpr])
        case map([MapEntry])
        case comprehension(Comprehension)
    }

    public struct MapEntry: Sendable, Hashable {
        public var key: CELExpr
        public var value: CELExpr
    }

    /// A fold over a list or map, the shape every macro expands to.
    public struct Comprehension: Sendable, Hashable {
        public var iterRange: CELExpr
        public var iterVar: String
        public var accuVar: String
        public var accuInit: CELExpr
        public var loopCondition: CELExpr
        public var loopStep: CELExpr
        public var result: CELExpr
    }

    /// The node's immediate operands.
    public var children: [CELExpr] { kind.children }

    /// Every node of the tree, this one first.
    public var allNodes: [CELExpr] {
        var out = [self]
        switch kind {
        case .literal, .ident: break
        case .select(let operand, _, _): out += operand.allNodes
        case .call(_, let target, let args):
            if let target { out += target.allNodes }
            for a in args { out += a.allNodes }
        case .list(let items): for i in items { out += i.allNodes }
        case .map(let entries): for e in entries { out += e.key.allNodes + e.value.allNodes }
        case .comprehension(let c):
            for e in [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result] { out += e.allNodes }
        }
        return out
    }
}

/// A constant of the expression text.
public enum CELLiteral: Sendable, Hashable {
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case bool(Bool)
    case null
}

/// The accumulator variable of macro comprehensions (hidden from user code).
let celAccumulator = "@result"

extension CELExpr.Kind {
    /// The immediate operands of a node of this kind.
    public var children: [CELExpr] {
        switch self {
        case .literal, .ident: []
        case .select(let operand, _, _): [operand]
        case .call(_, let target, let args): (target.map { [$0] } ?? []) + args
        case .list(let items): items
        case .map(let entries): entries.flatMap { [$0.key, $0.value] }
        case .comprehension(let c): [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]
        }
    }
}
