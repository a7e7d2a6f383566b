import Foundation

/// Reads the `.properties` format as `java.util.Properties.load(Reader)` does, so the local
/// node sees a pod's `spark.properties` exactly as Spark will:
///
/// - natural lines end with `\n`, `\r` or `\r\n`; a line ending in an odd number of
///   backslashes continues on the next one, whose leading white space is skipped;
/// - blank lines, and lines whose first non-blank character is `#` or `!`, are comments;
/// - the key runs to the first unescaped `=`, `:` or white space (space, tab, form feed);
///   white space, then one `=` or `:`, then white space separate it from the value;
/// - in keys and values `\t` `\n` `\r` `\f` and `\uXXXX` are escapes, and a backslash before
///   any other character stands for that character;
/// - a later entry replaces an earlier one with the same key.
///
/// Malformed `\u` escapes (Java throws) are read as the characters written.
enum JavaProperties {
    /// The entries, each key once, in the order their keys first appear.
    static func parse(_ text: String) -> [(key: String, value: String)] {
        var order: [String] = []
        var values: [String: String] = [:]
        for line in logicalLines(Array(text.unicodeScalars)) {
            let (key, value) = split(line)
            if values.updateValue(value, forKey: key) == nil { order.append(key) }
        }
        return order.map { ($0, values[$0]!) }
    }

    /// The entries as a dictionary.
    static func dictionary(_ text: String) -> [String: String] {
        Dictionary(parse(text), uniquingKeysWith: { _, last in last })
    }

    private static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{0C}" }
    private static func isEnd(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == "\r" }

    /// Logical lines (continuations joined, comments and blank lines dropped), still escaped:
    /// `LineReader.readLine`'s states, one character at a time. A comment starts wherever a
    /// logical line is still empty — after a continuation that left nothing, too.
    private static func logicalLines(_ s: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = []
        var line: [Unicode.Scalar] = []
        var skipWhiteSpace = true, appendedLineBegin = false, precedingBackslash = false
        var i = 0
        while i < s.count {
            let c = s[i]
            i += 1
            if skipWhiteSpace {
                if isBlank(c) || (!appendedLineBegin && isEnd(c)) { continue }
                skipWhiteSpace = false
                appendedLineBegin = false
            }
            if line.isEmpty, c == "#" || c == "!" {
                while i < s.count, !isEnd(s[i]) { i += 1 }
                i += 1
                skipWhiteSpace = true
                continue
            }
            guard isEnd(c) else {
                line.append(c)
                precedingBackslash = c == "\\" ? !precedingBackslash : false
                continue
            }
            if line.isEmpty {
                skipWhiteSpace = true
                continue
            }
            if i >= s.count { break }
            guard precedingBackslash else {
                lines.append(line)
                line = []
                skipWhiteSpace = true
                continue
            }
            line.removeLast()
            (skipWhiteSpace, appendedLineBegin, precedingBackslash) = (true, true, false)
            if c == "\r", s[i] == "\n" { i += 1 }
        }
        if !line.isEmpty {
            if precedingBackslash { line.removeLast() }
            lines.append(line)
        }
        return lines
    }

    /// Splits a logical line into its unescaped key and value.
    private static func split(_ line: [Unicode.Scalar]) -> (String, String) {
        var i = 0
        var escaped = false
        while i < line.count {
            let c = line[i]
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "=" || c == ":" || isBlank(c) {
                break
            }
            i += 1
        }
        let key = line[0..<i]
        var j = i
        while j < line.count, isBlank(line[j]) { j += 1 }
        if j < line.count, line[j] == "=" || line[j] == ":" { j += 1 }
        while j < line.count, isBlank(line[j]) { j += 1 }
        return (unescape(key), unescape(line[j...]))
    }

    private static func unescape(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            i += 1
            guard c == "\\", i < s.endIndex else {
                if c != "\\" { out.append(c) }
                continue
            }
            let next = s[i]
            i += 1
            switch next {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "f": out.append("\u{0C}")
            case "u":
                guard let code = hex4(s, at: i) else {
                    out.append("u")
                    continue
                }
                i += 4
                // Java strings are UTF-16: `\uD83D\uDE00` is one character.
                if (0xD800...0xDBFF).contains(code), i + 1 < s.endIndex, s[i] == "\\", s[i + 1] == "u",
                   let low = hex4(s, at: i + 2), (0xDC00...0xDFFF).contains(low) {
                    out.append(Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}")
                    i += 6
                } else {
                    out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                }
            default: out.append(next)
            }
        }
        return String(out)
    }

    /// The value of four hex digits at `index`, if there are four.
    private static func hex4(_ s: ArraySlice<Unicode.Scalar>, at index: Int) -> UInt32? {
        guard index + 4 <= s.endIndex else { return nil }
        let digits = String(String.UnicodeScalarView(s[index..<index + 4]))
        guard digits.allSatisfy(\.isHexDigit) else { return nil }
        return UInt32(digits, radix: 16)
    }
}
