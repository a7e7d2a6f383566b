/// A field selector (`fieldSelector=` in list and watch requests), e.g.
/// `involvedObject.name=p1,spec.nodeName!=`.
///
/// Same grammar as apimachinery's `fields.ParseSelector`: comma-separated terms
/// `path=value`, `path==value` or `path!=value`; `\,`, `\=` and `\\` escape those
/// characters in a value. A field that is absent or null reads as the empty string, so
/// `spec.nodeName=` selects unscheduled pods.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// One `path op value` term.
    public struct Term: Sendable, Hashable {
        public var path: String
        /// True for `!=`.
        public var negated: Bool
        public var value: String

        public init(path: String, negated: Bool = false, value: String) {
            self.path = path
            self.negated = negated
            self.value = value
        }
    }

    public var terms: [Term]

    public init(_ terms: [Term] = []) { self.terms = terms }

    /// Parses the string form. Throws when a term has no operator or a value has an
    /// unescaped `,`/`=` or an unknown escape.
    public init(parsing text: String) throws(FieldSelectorParseError) {
        var terms: [Term] = []
        for raw in FieldSelector.splitTerms(text) where !raw.isEmpty {
            guard let (path, op, escaped) = FieldSelector.splitTerm(raw) else {
                throw FieldSelectorParseError(selector: text, term: raw, message: "expected <field>=<value>, <field>==<value> or <field>!=<value>")
            }
            let value = try FieldSelector.unescape(escaped, selector: text, term: raw)
            terms.append(Term(path: path, negated: op == "!=", value: value))
        }
        self.terms = terms
    }

    /// Whether `object` satisfies every term; the field is found by its dotted path.
    public func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let actual = FieldSelector.text(of: object[path: term.path.split(separator: ".").map(String.init)])
            return (actual == term.value) != term.negated
        }
    }

    /// The string form a client sends, values escaped.
    public var selectorString: String {
        terms.map { "\($0.path)\($0.negated ? "!=" : "=")\(FieldSelector.escape($0.value))" }.joined(separator: ",")
    }

    public var description: String { selectorString }

    // MARK: - Helpers

    static func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        case .none, .null: return ""
        case .array, .object: return value!.description
        }
    }

    static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var escaping = false
        for c in text {
            if escaping {
                current.append(c)
                escaping = false
            } else if c == "\\" {
                current.append(c)
                escaping = true
            } else if c == "," {
                terms.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        terms.append(current)
        return terms
    }

    static func splitTerm(_ term: String) -> (String, String, String)? {
        var index = term.startIndex
        while index < term.endIndex {
            let rest = term[index...]
            for op in ["!=", "==", "="] where rest.hasPrefix(op) {
                return (String(term[..<index]), op, String(rest.dropFirst(op.count)))
            }
            index = term.index(after: index)
        }
        return nil
    }

    static func unescape(_ value: String, selector: String, term: String) throws(FieldSelectorParseError) -> String {
        var result = ""
        var escaping = false
        for c in value {
            if escaping {
                guard c == "\\" || c == "," || c == "=" else {
                    throw FieldSelectorParseError(selector: selector, term: term, message: "invalid escape sequence \\\(c); only \\\\, \\, and \\= are allowed")
                }
                result.append(c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else if c == "," || c == "=" {
                throw FieldSelectorParseError(selector: selector, term: term, message: "unescaped '\(c)' in value; write \\\(c)")
            } else {
                result.append(c)
            }
        }
        if escaping { throw FieldSelectorParseError(selector: selector, term: term, message: "value ends with an unfinished escape") }
        return result
    }

    static func escape(_ value: String) -> String {
        var result = ""
        for c in value {
            if c == "\\" || c == "," || c == "=" { result.append("\\") }
            result.append(c)
        }
        return result
    }
}

/// Why a field selector string cannot be parsed.
public struct FieldSelectorParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var selector: String
    /// The offending term.
    public var term: String
    public var message: String
    public var description: String { "invalid field selector \"\(selector)\" in term \"\(term)\": \(message)" }
}
