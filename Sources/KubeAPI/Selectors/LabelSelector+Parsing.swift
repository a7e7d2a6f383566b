/// Why a label selector string cannot be parsed: the selector, where, and what was expected.
public struct LabelSelectorParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The whole selector text.
    public var selector: String
    /// The character offset of the offending token.
    public var position: Int
    public var message: String

    public var description: String { "invalid label selector \"\(selector)\" at \(position): \(message)" }
}

extension LabelSelector {
    /// Parses the string form, as `labels.Parse` and `metav1.ParseToLabelSelector` do:
    /// comma-separated requirements `key=value`, `key==value`, `key!=value`,
    /// `key in (a,b)`, `key notin (a,b)`, `key` (exists) and `!key` (does not exist).
    /// Keys must be qualified names (`[prefix/]name`), values valid label values.
    ///
    /// `=` and `==` become `matchLabels`; `!=` becomes `NotIn` with one value, which
    /// selects the same objects. An empty string is the empty selector (everything).
    public init(parsing text: String) throws(LabelSelectorParseError) {
        var parser = LabelSelectorParser(text: text)
        self.init()
        for requirement in try parser.parse() {
            switch requirement.op {
            case "=", "==":
                if let existing = matchLabels[requirement.key], existing != requirement.values[0] {
                    // Two different equalities on one key: keep both meanings with an expression.
                    matchExpressions.append(.init(key: requirement.key, operator: .in, values: [requirement.values[0]]))
                } else {
                    matchLabels[requirement.key] = requirement.values[0]
                }
            case "!=": matchExpressions.append(.init(key: requirement.key, operator: .notIn, values: requirement.values))
            case "in": matchExpressions.append(.init(key: requirement.key, operator: .in, values: requirement.values))
            case "notin": matchExpressions.append(.init(key: requirement.key, operator: .notIn, values: requirement.values))
            case "exists": matchExpressions.append(.init(key: requirement.key, operator: .exists))
            default: matchExpressions.append(.init(key: requirement.key, operator: .doesNotExist))
            }
        }
    }
}

/// A recursive-descent parser with the grammar and messages of apimachinery's `labels.Parse`.
struct LabelSelectorParser {
    enum Token: Equatable {
        case identifier(String), bang, equals, doubleEquals, notEquals, greater, less, open, close, comma, end
        case keywordIn, keywordNotIn

        var text: String {
            switch self {
            case .identifier(let s): return s
            case .bang: return "!"
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .greater: return ">"
            case .less: return "<"
            case .open: return "("
            case .close: return ")"
            case .comma: return ","
            case .end: return "end of string"
            case .keywordIn: return "in"
            case .keywordNotIn: return "notin"
            }
        }
    }

    struct Requirement { var key: String; var op: String; var values: [String] }

    let text: String
    var tokens: [(token: Token, position: Int)] = []
    var index = 0

    init(text: String) {
        self.text = text
        tokens = Self.scan(Array(text.unicodeScalars))
    }

    static func isSpecial(_ c: Unicode.Scalar) -> Bool { "=!(),><".unicodeScalars.contains(c) }

    static func scan(_ s: [Unicode.Scalar]) -> [(Token, Int)] {
        var result: [(Token, Int)] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            if c.properties.isWhitespace { i += 1; continue }
            let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
            switch c {
            case "!" where next == "=": result.append((.notEquals, i)); i += 2
            case "!": result.append((.bang, i)); i += 1
            case "=" where next == "=": result.append((.doubleEquals, i)); i += 2
            case "=": result.append((.equals, i)); i += 1
            case ">": result.append((.greater, i)); i += 1
            case "<": result.append((.less, i)); i += 1
            case "(": result.append((.open, i)); i += 1
            case ")": result.append((.close, i)); i += 1
            case ",": result.append((.comma, i)); i += 1
            default:
                let start = i
                while i < s.count, !s[i].properties.isWhitespace, !isSpecial(s[i]) { i += 1 }
                let word = String(String.UnicodeScalarView(s[start..<i]))
                switch word {
                case "in": result.append((.keywordIn, start))
                case "notin": result.append((.keywordNotIn, start))
                default: result.append((.identifier(word), start))
                }
            }
        }
        result.append((.end, s.count))
        return result
    }

    /// The next token; in value position the keywords are plain identifiers.
    func peek(value: Bool = true) -> Token {
        let t = tokens[index].token
        if value, t == .keywordIn { return .identifier("in") }
        if value, t == .keywordNotIn { return .identifier("notin") }
        return t
    }

    mutating func next(value: Bool = true) -> Token {
        let t = peek(value: value)
        index = min(index + 1, tokens.count - 1)
        return t
    }

    func error(_ message: String, at tokenIndex: Int? = nil) -> LabelSelectorParseError {
        LabelSelectorParseError(selector: text, position: tokens[min(tokenIndex ?? index, tokens.count - 1)].position, message: message)
    }

    mutating func parse() throws(LabelSelectorParseError) -> [Requirement] {
        var requirements: [Requirement] = []
        while true {
            switch peek() {
            case .identifier, .bang:
                requirements.append(try parseRequirement())
                let at = index
                switch next() {
                case .end: return requirements
                case .comma:
                    switch peek() {
                    case .identifier, .bang: continue
                    default: throw error("found '\(peek().text)', expected: identifier after ','")
                    }
                default: throw error("found '\(tokens[at].token.text)', expected: ',' or 'end of string'", at: at)
                }
            case .end: return requirements
            default: throw error("found '\(peek().text)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    mutating func parseRequirement() throws(LabelSelectorParseError) -> Requirement {
        var negated = false
        if peek() == .bang { _ = next(); negated = true }
        let keyIndex = index
        guard case .identifier(let key) = next() else {
            throw error("found '\(tokens[keyIndex].token.text)', expected: identifier", at: keyIndex)
        }
        if let problem = LabelValidation.keyProblem(key) { throw error("invalid label key \"\(key)\": \(problem)", at: keyIndex) }
        if negated { return Requirement(key: key, op: "!", values: []) }
        switch peek() {
        case .end, .comma: return Requirement(key: key, op: "exists", values: [])
        default: break
        }
        let opIndex = index
        let op: String
        switch next(value: false) {
        case .equals: op = "="
        case .doubleEquals: op = "=="
        case .notEquals: op = "!="
        case .keywordIn: op = "in"
        case .keywordNotIn: op = "notin"
        case .greater, .less:
            throw error("'\(tokens[opIndex].token.text)' isn't supported in label selectors", at: opIndex)
        case let other:
            throw error("found '\(other.text)', expected: '=', '!=', '==', 'in', 'notin'", at: opIndex)
        }
        let values = (op == "in" || op == "notin") ? try parseSet() : [try parseExactValue()]
        for value in values {
            if let problem = LabelValidation.valueProblem(value) {
                throw error("invalid label value \"\(value)\" for key \"\(key)\": \(problem)", at: opIndex)
            }
        }
        return Requirement(key: key, op: op, values: values)
    }

    mutating func parseExactValue() throws(LabelSelectorParseError) -> String {
        switch peek() {
        case .end, .comma: return ""
        case .identifier(let v): _ = next(); return v
        case let other: throw error("found '\(other.text)', expected: identifier")
        }
    }

    /// `(a,b)`; like apimachinery, `()` and empty items stand for the empty value.
    mutating func parseSet() throws(LabelSelectorParseError) -> [String] {
        guard next() == .open else { throw error("found '\(tokens[index - 1].token.text)', expected: '('", at: index - 1) }
        var values: [String] = []
        var expectingValue = true
        while true {
            let at = index
            switch next() {
            case .identifier(let v) where expectingValue:
                values.append(v)
                expectingValue = false
            case .comma:
                if expectingValue { values.append("") }
                expectingValue = true
            case .close:
                if expectingValue { values.append("") }
                var unique: [String] = []
                for v in values where !unique.contains(v) { unique.append(v) }
                return unique
            case let other:
                throw error("found '\(other.text)', expected: ',', ')' or identifier", at: at)
            }
        }
    }
}

/// Kubernetes' syntax rules for label keys and values.
enum LabelValidation {
    static func isAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
    static func nameProblem(_ s: Substring, what: String) -> String? {
        if s.count > 63 { return "\(what) must be no more than 63 characters" }
        guard let first = s.first, let last = s.last else { return nil }
        let ok = isAlphanumeric(first) && isAlphanumeric(last)
            && s.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
        return ok ? nil : "\(what) must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    }

    static func keyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "a qualified name must be [prefix/]name" }
        let name = parts.last!
        if name.isEmpty { return "name part must be non-empty" }
        if let p = nameProblem(name, what: "name part") { return p }
        if parts.count == 2 {
            let prefix = parts[0]
            if prefix.isEmpty { return "prefix part must be non-empty" }
            if prefix.count > 253 { return "prefix part must be no more than 253 characters" }
            let labels = prefix.split(separator: ".", omittingEmptySubsequences: false)
            let ok = labels.allSatisfy { l in
                !l.isEmpty && l.count <= 63 && l.first.map(isAlphanumeric) == true && l.last.map(isAlphanumeric) == true
                    && l.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            }
            if !ok { return "prefix part must be a lowercase RFC 1123 subdomain" }
        }
        return nil
    }

    static func valueProblem(_ value: String) -> String? { nameProblem(Substring(value), what: "a valid label value") }
}
