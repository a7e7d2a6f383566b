/// One token of a CEL expression.
struct CELToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)
        case int(Int64)
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes([UInt8])
        case punct(String)
        case end
    }

    var kind: Kind
    /// Scalar offset of the token's first character.
    var offset: Int

    /// How a syntax error names the token (`'<EOF>'`, `'+'`, `'self'`).
    var display: String {
        switch kind {
        case .identifier(let s): "'\(s)'"
        case .punct(let s): "'\(s)'"
        case .end: "'<EOF>'"
        case .int(let i): "'\(i)'"
        case .uint(let u): "'\(u)u'"
        case .double(let d): "'\(d)'"
        case .string: "string literal"
        case .bytes: "bytes literal"
        }
    }
}

/// Splits a CEL expression into tokens (the lexical grammar of the CEL specification).
struct CELLexer {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ source: CELSource) { scalars = source.scalars }

    static let punctuation: [String] = ["&&", "||", "<=", ">=", "==", "!=", ".?", "[?", "(", ")", "[", "]", "{", "}", ".", ",", ":", "?", "!", "-", "+", "*", "/", "%", "<", ">"]

    /// All tokens, ending with `.end`.
    mutating func tokens() throws(CELIssueList) -> [CELToken] {
        var out: [CELToken] = []
        while true {
            skipSpaceAndComments()
            guard index < scalars.count else {
                out.append(CELToken(kind: .end, offset: scalars.count))
                return out
            }
            out.append(try next())
        }
    }

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" {
                index += 1
            } else if c == "/", peek(1) == "/" {
                while let d = peek(), d != "\n" { index += 1 }
            } else {
                return
            }
        }
    }

    mutating func next() throws(CELIssueList) -> CELToken {
        let start = index
        let c = scalars[index]
        if c == "\"" || c == "'" { return CELToken(kind: .string(try stringLiteral(raw: false)), offset: start) }
        if (c == "r" || c == "R"), let q = peek(1), q == "\"" || q == "'" {
            index += 1
            return CELToken(kind: .string(try stringLiteral(raw: true)), offset: start)
        }
        if c == "b" || c == "B" {
            var ahead = 1
            var raw = false
            if let r = peek(1), r == "r" || r == "R" { raw = true; ahead = 2 }
            if let q = peek(ahead), q == "\"" || q == "'" {
                index += ahead
                return CELToken(kind: .bytes(Array(try stringLiteral(raw: raw).utf8)), offset: start)
            }
        }
        if Self.isDigit(c) || (c == "." && peek(1).map(Self.isDigit) == true) { return try number() }
        if Self.isIdentifierStart(c) {
            var name = ""
            while let d = peek(), Self.isIdentifierStart(d) || Self.isDigit(d) {
                name.unicodeScalars.append(d)
                index += 1
            }
            return CELToken(kind: .identifier(name), offset: start)
        }
        for p in Self.punctuation where matches(p) {
            index += p.unicodeScalars.count
            return CELToken(kind: .punct(p), offset: start)
        }
        throw CELIssueList(CELIssue(offset: start, message: "Syntax error: token recognition error at: '\(Character(c))'"))
    }

    func matches(_ text: String) -> Bool {
        for (i, s) in text.unicodeScalars.enumerated() where peek(i) != s { return false }
        return true
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
    static func isHex(_ c: Unicode.Scalar) -> Bool { isDigit(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c) }
}

/// One or more issues thrown together (Swift's typed throws need one error type).
public struct CELIssueList: Error, Sendable, Hashable {
    public var issues: [CELIssue]
    public init(_ issues: CELIssue...) { self.issues = issues }
    public init(_ issues: [CELIssue]) { self.issues = issues }
}
