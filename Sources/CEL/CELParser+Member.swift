extension CELParser {
    /// A primary followed by selections, calls and indexes.
    mutating func member() throws(CELIssueList) -> CELExpr {
        var operand = try primary()
        while true {
            let offset = current.offset
            try checkRecursionLimit()
            if accept(".") {
                guard case .identifier(let name) = current.kind else { throw unexpected(expecting: "IDENTIFIER") }
                position += 1
                let paren = current.offset
                if accept("(") {
                    let args = try arguments(closing: ")")
                    operand = try memberCall(name, target: operand, args: args, at: paren)
                } else {
                    operand = node(.select(operand: operand, field: name, testOnly: false), at: offset)
                }
            } else if accept("[") {
                let index = try expression()
                try expect("]")
                operand = call("_[_]", [operand, index], at: offset)
            } else if isPunct(".?") || isPunct("[?") {
                throw CELIssueList(CELIssue(offset: offset, message: "optional field selection (\(current.display)) is not supported by slipway dev"))
            } else {
                return operand
            }
        }
    }

    mutating func primary() throws(CELIssueList) -> CELExpr {
        let token = current
        let offset = token.offset
        switch token.kind {
        case .int(let v): position += 1; return node(.literal(.int(v)), at: offset)
        case .uint(let v): position += 1; return node(.literal(.uint(v)), at: offset)
        case .double(let v): position += 1; return node(.literal(.double(v)), at: offset)
        case .string(let v): position += 1; return node(.literal(.string(v)), at: offset)
        case .bytes(let v): position += 1; return node(.literal(.bytes(v)), at: offset)
        case .identifier(let name):
            position += 1
            switch name {
            case "true": return node(.literal(.bool(true)), at: offset)
            case "false": return node(.literal(.bool(false)), at: offset)
            case "null": return node(.literal(.null), at: offset)
            default: break
            }
            if Self.reserved.contains(name) {
                throw CELIssueList(CELIssue(offset: offset, message: "reserved identifier: \(name)"))
            }
            if isPunct("(") {
                let paren = current.offset
                position += 1
                let args = try arguments(closing: ")")
                return try globalCall(name, args: args, at: paren)
            }
            return node(.ident(name), at: offset)
        case .punct("("):
            position += 1
            let inner = try expression()
            try expect(")")
            return inner
        case .punct("["):
            position += 1
            return node(.list(try arguments(closing: "]")), at: offset)
        case .punct("{"):
            position += 1
            return node(.map(try mapEntries()), at: offset)
        case .punct("."):
            position += 1
            guard case .identifier(let name) = current.kind else { throw unexpected(expecting: "IDENTIFIER") }
            position += 1
            if accept("(") { return try globalCall(name, args: try arguments(closing: ")"), at: offset) }
            return node(.ident(name), at: offset)
        default:
            throw unexpected(expecting: "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}")
        }
    }

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace",
        "return", "var", "void", "while", "in",
    ]

    /// Comma-separated expressions up to `closing` (a trailing comma is allowed).
    mutating func arguments(closing: String) throws(CELIssueList) -> [CELExpr] {
        var args: [CELExpr] = []
        if accept(closing) { return args }
        while true {
            args.append(try expression())
            if accept(closing) { return args }
            try expect(",")
            if accept(closing) { return args }
        }
    }

    mutating func mapEntries() throws(CELIssueList) -> [CELExpr.MapEntry] {
        var entries: [CELExpr.MapEntry] = []
        if accept("}") { return entries }
        while true {
            let key = try expression()
            try expect(":")
            let value = try expression()
            entries.append(CELExpr.MapEntry(key: key, value: value))
            if accept("}") { return entries }
            try expect(",")
            if accept("}") { return entries }
        }
    }
}
