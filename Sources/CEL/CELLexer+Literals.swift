extension CELLexer {
    /// A number: decimal or hex int, `u`-suffixed uint, or double (fraction or exponent).
    mutating func number() throws(CELIssueList) -> CELToken {
        let start = index
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            index += 2
            var hex = ""
            while let d = peek(), Self.isHex(d) { hex.unicodeScalars.append(d); index += 1 }
            if let u = peek(), u == "u" || u == "U" {
                index += 1
                guard let v = UInt64(hex, radix: 16) else { throw invalid(start, "uint literal") }
                return CELToken(kind: .uint(v), offset: start)
            }
            guard let v = Int64(hex, radix: 16) else { throw invalid(start, "int literal") }
            return CELToken(kind: .int(v), offset: start)
        }
        var text = ""
        var isDouble = false
        func digits() { while let d = peek(), Self.isDigit(d) { text.unicodeScalars.append(d); index += 1 } }
        digits()
        if peek() == ".", let d = peek(1), Self.isDigit(d) {
            isDouble = true
            text += "."
            index += 1
            digits()
        }
        if let e = peek(), e == "e" || e == "E" {
            var ahead = 1
            if let s = peek(1), s == "+" || s == "-" { ahead = 2 }
            if let d = peek(ahead), Self.isDigit(d) {
                isDouble = true
                for _ in 0..<ahead { text.unicodeScalars.append(scalars[index]); index += 1 }
                digits()
            }
        }
        if isDouble {
            guard let v = Double(text) else { throw invalid(start, "double literal") }
            return CELToken(kind: .double(v), offset: start)
        }
        if let u = peek(), u == "u" || u == "U" {
            index += 1
            guard let v = UInt64(text) else { throw invalid(start, "uint literal") }
            return CELToken(kind: .uint(v), offset: start)
        }
        // A negative literal's magnitude may be 2^63; the parser folds the sign.
        if text == "9223372036854775808" { return CELToken(kind: .uint(1 << 63), offset: start) }
        guard let v = Int64(text) else { throw invalid(start, "int literal") }
        return CELToken(kind: .int(v), offset: start)
    }

    func invalid(_ offset: Int, _ what: String) -> CELIssueList {
        CELIssueList(CELIssue(offset: offset, message: "invalid \(what)"))
    }

    /// A quoted string (single, double or triple quotes), with escapes unless `raw`.
    mutating func stringLiteral(raw: Bool) throws(CELIssueList) -> String {
        let start = index
        let quote = scalars[index]
        let triple = peek(1) == quote && peek(2) == quote
        index += triple ? 3 : 1
        var out = ""
        while true {
            guard let c = peek() else { throw CELIssueList(CELIssue(offset: start, message: "Syntax error: token recognition error at: unterminated string")) }
            if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                index += triple ? 3 : 1
                return out
            }
            if !triple && (c == "\n" || c == "\r") {
                throw CELIssueList(CELIssue(offset: start, message: "Syntax error: token recognition error at: unterminated string"))
            }
            if c == "\\" && !raw {
                out.unicodeScalars.append(try escape())
            } else {
                out.unicodeScalars.append(c)
                index += 1
            }
        }
    }

    /// One escape sequence after a backslash.
    mutating func escape() throws(CELIssueList) -> Unicode.Scalar {
        let start = index
        index += 1
        guard let c = peek() else { throw invalid(start, "escape sequence") }
        index += 1
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}",
            "\\": "\\", "'": "'", "\"": "\"", "`": "`", "?": "?",
        ]
        if let s = simple[c] { return s }
        let width: Int
        let radix: Int
        switch c {
        case "x", "X": (width, radix) = (2, 16)
        case "u": (width, radix) = (4, 16)
        case "U": (width, radix) = (8, 16)
        case "0"..."3":
            index -= 1
            (width, radix) = (3, 8)
        default: throw invalid(start, "escape sequence")
        }
        var digits = ""
        for _ in 0..<width {
            guard let d = peek() else { throw invalid(start, "escape sequence") }
            digits.unicodeScalars.append(d)
            index += 1
        }
        guard let value = UInt32(digits, radix: radix), let scalar = Unicode.Scalar(value) else { throw invalid(start, "escape sequence") }
        return scalar
    }
}
