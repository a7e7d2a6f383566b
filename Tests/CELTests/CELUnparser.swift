import Foundation
@testable import CEL

/// Prints an expression back as CEL text, fully parenthesized (for round-trip properties).
/// Comprehensions from macros print as the macro call they came from when recognisable.
enum CELUnparser {
    static func print(_ e: CELExpr) -> String {
        switch e.kind {
        case .literal(let l): return literal(l)
        case .ident(let name): return name
        case .select(let operand, let field, let testOnly):
            return testOnly ? "has(\(print(operand)).\(field))" : "\(print(operand)).\(field)"
        case .call(let function, let target, let args):
            return call(function, target, args)
        case .list(let items): return "[" + items.map(print).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { "\(print($0.key)): \(print($0.value))" }.joined(separator: ", ") + "}"
        case .comprehension(let c): return comprehension(c)
        }
    }

    static let binary: [String: String] = [
        "_||_": "||", "_&&_": "&&", "_<_": "<", "_<=_": "<=", "_>_": ">", "_>=_": ">=", "_==_": "==", "_!=_": "!=",
        "@in": "in", "_+_": "+", "_-_": "-", "_*_": "*", "_/_": "/", "_%_": "%",
    ]

    static func call(_ function: String, _ target: CELExpr?, _ args: [CELExpr]) -> String {
        if let op = binary[function], args.count == 2 { return "(\(print(args[0])) \(op) \(print(args[1])))" }
        switch function {
        case "!_": return "(!\(print(args[0])))"
        case "-_": return "(-\(print(args[0])))"
        case "_?_:_": return "(\(print(args[0])) ? \(print(args[1])) : \(print(args[2])))"
        case "_[_]": return "\(print(args[0]))[\(print(args[1]))]"
        default:
            let list = args.map(print).joined(separator: ", ")
            if let target { return "\(print(target)).\(function)(\(list))" }
            return "\(function)(\(list))"
        }
    }

    static func comprehension(_ c: CELExpr.Comprehension) -> String {
        let range = print(c.iterRange)
        switch (c.accuInit.kind, c.loopStep.kind) {
        case (.literal(.bool(true)), .call("_&&_", _, let args)): return "\(range).all(\(c.iterVar), \(print(args[1])))"
        case (.literal(.bool(false)), .call("_||_", _, let args)): return "\(range).exists(\(c.iterVar), \(print(args[1])))"
        case (.literal(.int(0)), .call("_?_:_", _, let args)): return "\(range).exists_one(\(c.iterVar), \(print(args[0])))"
        case (.list, .call("_+_", _, let args)):
            if case .list(let items) = args[1].kind, let t = items.first { return "\(range).map(\(c.iterVar), \(print(t)))" }
        case (.list, .call("_?_:_", _, let args)):
            if case .call("_+_", _, let add) = args[1].kind, case .list(let items) = add[1].kind, let t = items.first {
                if case .ident(c.iterVar) = t.kind { return "\(range).filter(\(c.iterVar), \(print(args[0])))" }
                return "\(range).map(\(c.iterVar), \(print(args[0])), \(print(t)))"
            }
        default: break
        }
        return "<comprehension>"
    }

    static func literal(_ l: CELLiteral) -> String {
        switch l {
        case .int(let i): return i < 0 ? "(\(i))" : String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return d < 0 ? "(\(d))" : "\(d)"
        case .string(let s): return quote(s)
        case .bytes(let b): return "b" + quote(String(decoding: b, as: UTF8.self))
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
