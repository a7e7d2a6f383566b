/// Checks that a regular expression is valid RE2 syntax, as Go's `regexp.Compile` (which
/// Kubernetes uses for schema `pattern`s and CEL's `matches`) accepts it, and returns Go's
/// error text (`error parsing regexp: missing closing ]: `[a-z(``) otherwise.
///
/// Foundation's engine accepts more (lookarounds, backreferences, possessive quantifiers):
/// this check refuses those first, so that a pattern slipway dev accepts is one a real API
/// server accepts too.
public enum RE2Syntax {
    /// Go's error message for `pattern`, or nil when it compiles.
    public static func error(in pattern: String) -> String? {
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let (code, fragment) = parser.run() else { return nil }
        return "error parsing regexp: \(code): `\(fragment)`"
    }

    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        /// Offsets of the open groups.
        var groups: [Int] = []
        /// Whether the previous item can take a repetition operator.
        var canRepeat = false
        /// Whether the previous item was itself a repetition.
        var repeated = false

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var whole: String { String(String.UnicodeScalarView(s)) }
        func text(_ from: Int, _ to: Int) -> String { String(String.UnicodeScalarView(s[from..<min(to, s.count)])) }

        mutating func run() -> (String, String)? {
            while i < s.count {
                let c = s[i]
                switch c {
                case "\\":
                    if let e = escape() { return e }
                    item()
                case "(":
                    if let e = group() { return e }
                case ")":
                    guard groups.popLast() != nil else { return ("unexpected )", whole) }
                    i += 1
                    item()
                case "|":
                    i += 1
                    canRepeat = false
                    repeated = false
                case "[":
                    if let e = characterClass() { return e }
                    item()
                case "*", "+", "?":
                    if let e = repetition(length: 1) { return e }
                case "{":
                    if let length = repeatCount() {
                        if let e = checkCount(length) { return e }
                        if let e = repetition(length: length) { return e }
                    } else {
                        i += 1
                        item()
                    }
                default:
                    i += 1
                    item()
                }
            }
            if !groups.isEmpty { return ("missing closing )", whole) }
            return nil
        }

        mutating func item() {
            canRepeat = true
            repeated = false
        }

        mutating func repetition(length: Int) -> (String, String)? {
            let start = i
            guard canRepeat else { return ("missing argument to repetition operator", text(start, start + length)) }
            i += length
            if i < s.count, s[i] == "?" { i += 1 }
            if repeated { return ("invalid nested repetition operator", text(lastOperatorStart, i)) }
            lastOperatorStart = start
            repeated = true
            return nil
        }

        var lastOperatorStart = 0
    }
}
