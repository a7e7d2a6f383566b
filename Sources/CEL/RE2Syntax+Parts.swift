extension RE2Syntax.Parser {
    /// `{n}`, `{n,}`, `{n,m}`: the length of the operator text, or nil when `{` is literal.
    func repeatCount() -> Int? {
        var j = i + 1
        var digits = 0
        while j < s.count, ("0"..."9").contains(s[j]) { j += 1; digits += 1 }
        guard digits > 0, j < s.count else { return nil }
        if s[j] == "," {
            j += 1
            while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
        }
        guard j < s.count, s[j] == "}" else { return nil }
        return j + 1 - i
    }

    func checkCount(_ length: Int) -> (String, String)? {
        let body = text(i + 1, i + length - 1)
        let parts = body.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        let low = parts.first.flatMap { $0 } ?? 0
        let high = parts.count > 1 ? parts[1] : low
        if low > 1000 || (high ?? 0) > 1000 || (high.map { $0 < low } ?? false) {
            return ("invalid repeat count", text(i, i + length))
        }
        return nil
    }

    /// A group: `(`, `(?:`, `(?flags)`, `(?flags:`, `(?P<name>`, `(?<name>`.
    mutating func group() -> (String, String)? {
        let start = i
        i += 1
        canRepeat = false
        repeated = false
        guard i < s.count, s[i] == "?" else {
            groups.append(start)
            return nil
        }
        i += 1
        if i < s.count, s[i] == "P" || s[i] == "<" {
            if s[i] == "P" { i += 1 }
            guard i < s.count, s[i] == "<" else { return ("invalid or unsupported Perl syntax", text(start, i + 1)) }
            var j = i + 1
            while j < s.count, s[j] != ">" { j += 1 }
            let name = text(i + 1, j)
            guard j < s.count, !name.isEmpty, name.unicodeScalars.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else {
                return ("invalid named capture", text(start, j + 1))
            }
            i = j + 1
            groups.append(start)
            return nil
        }
        var sawFlag = false
        while i < s.count {
            switch s[i] {
            case "i", "m", "s", "U", "-":
                sawFlag = true
                i += 1
            case ":":
                i += 1
                groups.append(start)
                return nil
            case ")" where sawFlag:
                i += 1
                return nil
            default:
                return ("invalid or unsupported Perl syntax", text(start, i + 1))
            }
        }
        return ("missing closing )", whole)
    }

    /// A backslash escape outside a class.
    mutating func escape() -> (String, String)? {
        let start = i
        i += 1
        guard i < s.count else { return ("trailing backslash at end of expression", "") }
        let c = s[i]
        i += 1
        switch c {
        case "a", "f", "t", "n", "r", "v", "d", "D", "s", "S", "w", "W", "b", "B", "A", "z":
            return nil
        case "0"..."7":
            // A lone non-zero digit is a backreference, which RE2 does not have.
            if c != "0" && !(i < s.count && ("0"..."7").contains(s[i])) { return ("invalid escape sequence", text(start, i)) }
            while i < s.count, i - start < 4, ("0"..."7").contains(s[i]) { i += 1 }
            return nil
        case "8", "9":
            return ("invalid escape sequence", text(start, i))
        case "x":
            return hexEscape(start)
        case "p", "P":
            if i < s.count, s[i] == "{" {
                while i < s.count, s[i] != "}" { i += 1 }
                guard i < s.count else { return ("invalid character class range", text(start, i)) }
                i += 1
            } else {
                i += 1
            }
            return nil
        case "Q":
            while i + 1 < s.count, !(s[i] == "\\" && s[i + 1] == "E") { i += 1 }
            i = min(s.count, i + 2)
            return nil
        default:
            let isWord = c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
            return isWord || c.value >= 0x80 ? ("invalid escape sequence", text(start, i)) : nil
        }
    }

    mutating func hexEscape(_ start: Int) -> (String, String)? {
        func isHex(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c) }
        if i < s.count, s[i] == "{" {
            var j = i + 1
            while j < s.count, isHex(s[j]) { j += 1 }
            guard j < s.count, s[j] == "}", j > i + 1 else { return ("invalid escape sequence", text(start, j + 1)) }
            i = j + 1
            return nil
        }
        guard i + 1 < s.count, isHex(s[i]), isHex(s[i + 1]) else { return ("invalid escape sequence", text(start, i + 2)) }
        i += 2
        return nil
    }

    /// `[...]`, with ranges, escapes and `[:name:]` classes.
    mutating func characterClass() -> (String, String)? {
        let start = i
        i += 1
        if i < s.count, s[i] == "^" { i += 1 }
        var first = true
        var previous: Unicode.Scalar?
        while i < s.count {
            let c = s[i]
            if c == "]" && !first {
                i += 1
                return nil
            }
            first = false
            if c == "[", i + 1 < s.count, s[i + 1] == ":" {
                var j = i + 2
                while j + 1 < s.count, !(s[j] == ":" && s[j + 1] == "]") { j += 1 }
                if j + 1 < s.count {
                    i = j + 2
                    previous = nil
                    continue
                }
            }
            var low = c
            if c == "\\" {
                let escapeStart = i
                if let e = escape() { return e }
                low = i - escapeStart == 2 ? s[escapeStart + 1] : "\0"
            } else {
                i += 1
            }
            if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                var high = s[i + 1]
                let rangeStart = i - 1
                i += 2
                if high == "\\", i < s.count { high = s[i]; i += 1 }
                if high.value < low.value { return ("invalid character class range", text(rangeStart, i)) }
            }
            previous = low
        }
        _ = previous
        return ("missing closing ]", text(start, s.count))
    }
}
