import Foundation

extension CELFunctions {
    static func str(_ v: CELValue) -> String? { if case .string(let s) = v { s } else { nil } }
    static func integer(_ v: CELValue) -> Int? { if case .int(let i) = v { Int(exactly: i) } else { nil } }
    static func bad(_ function: String) -> CELValue { .error(.noSuchOverload(function)) }

    static let strings: [CELOverload] = [
        f("contains", "contains_string", [.string, .string], .bool, member: true) { a in
            guard let s = str(a[0]), let t = str(a[1]) else { return bad("contains") }
            return .bool(t.isEmpty || s.contains(t))
        },
        f("startsWith", "starts_with_string", [.string, .string], .bool, member: true) { a in
            guard let s = str(a[0]), let t = str(a[1]) else { return bad("startsWith") }
            return .bool(s.unicodeScalars.starts(with: t.unicodeScalars))
        },
        f("endsWith", "ends_with_string", [.string, .string], .bool, member: true) { a in
            guard let s = str(a[0]), let t = str(a[1]) else { return bad("endsWith") }
            return .bool(Array(s.unicodeScalars).reversed().starts(with: Array(t.unicodeScalars).reversed()))
        },
        f("matches", "matches_string", [.string, .string], .bool, member: true) { a in matches(a[0], a[1]) },
        f("matches", "matches", [.string, .string], .bool) { a in matches(a[0], a[1]) },
        f("lowerAscii", "string_lower_ascii", [.string], .string, member: true) { a in
            str(a[0]).map { .string(String(String.UnicodeScalarView($0.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))) } ?? bad("lowerAscii")
        },
        f("upperAscii", "string_upper_ascii", [.string], .string, member: true) { a in
            str(a[0]).map { .string(String(String.UnicodeScalarView($0.unicodeScalars.map { ("a"..."z").contains($0) ? Unicode.Scalar($0.value - 32)! : $0 }))) } ?? bad("upperAscii")
        },
        f("trim", "string_trim", [.string], .string, member: true) { a in
            str(a[0]).map { .string($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? bad("trim")
        },
        f("charAt", "string_char_at_int", [.string, .int], .string, member: true) { a in
            guard let s = str(a[0]).map({ Array($0.unicodeScalars) }), let i = integer(a[1]) else { return bad("charAt") }
            guard i >= 0, i <= s.count else { return .error(CELEvalError("index out of range: \(i)")) }
            return .string(i == s.count ? "" : String(s[i]))
        },
        f("indexOf", "string_index_of_string", [.string, .string], .int, member: true) { a in indexOf(a[0], a[1], from: .int(0), last: false) },
        f("indexOf", "string_index_of_string_int", [.string, .string, .int], .int, member: true) { a in indexOf(a[0], a[1], from: a[2], last: false) },
        f("lastIndexOf", "string_last_index_of_string", [.string, .string], .int, member: true) { a in indexOf(a[0], a[1], from: nil, last: true) },
        f("lastIndexOf", "string_last_index_of_string_int", [.string, .string, .int], .int, member: true) { a in indexOf(a[0], a[1], from: a[2], last: true) },
        f("replace", "string_replace_string_string", [.string, .string, .string], .string, member: true) { a in replace(a[0], a[1], a[2], limit: -1) },
        f("replace", "string_replace_string_string_int", [.string, .string, .string, .int], .string, member: true) { a in
            replace(a[0], a[1], a[2], limit: integer(a[3]) ?? -1)
        },
        f("split", "string_split_string", [.string, .string], .list(.string), member: true) { a in split(a[0], a[1], limit: -1) },
        f("split", "string_split_string_int", [.string, .string, .int], .list(.string), member: true) { a in split(a[0], a[1], limit: integer(a[2]) ?? -1) },
        f("substring", "string_substring_int", [.string, .int], .string, member: true) { a in substring(a[0], a[1], nil) },
        f("substring", "string_substring_int_int", [.string, .int, .int], .string, member: true) { a in substring(a[0], a[1], a[2]) },
        f("join", "list_join", [.list(.string)], .string, member: true) { a in join(a[0], "") },
        f("join", "list_join_string", [.list(.string), .string], .string, member: true) { a in join(a[0], str(a[1]) ?? "") },
        f("find", "string_find_string", [.string, .string], .string, member: true) { a in find(a[0], a[1], all: false, limit: 1) },
        f("findAll", "string_find_all_string", [.string, .string], .list(.string), member: true) { a in find(a[0], a[1], all: true, limit: -1) },
        f("findAll", "string_find_all_string_int", [.string, .string, .int], .list(.string), member: true) { a in
            find(a[0], a[1], all: true, limit: integer(a[2]) ?? -1)
        },
    ]

    static func matches(_ s: CELValue, _ pattern: CELValue) -> CELValue {
        guard let s = str(s), let p = str(pattern) else { return bad("matches") }
        guard let regex = CELRegex.compile(p) else { return .error(CELEvalError("invalid regular expression: \(p)")) }
        return .bool(regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil)
    }

    static func indexOf(_ s: CELValue, _ t: CELValue, from: CELValue?, last: Bool) -> CELValue {
        guard let s = str(s).map({ Array($0.unicodeScalars) }), let t = str(t).map({ Array($0.unicodeScalars) }) else { return bad("indexOf") }
        let start = from.flatMap(integer) ?? (last ? s.count : 0)
        guard start >= 0, start <= s.count else { return .error(CELEvalError("index out of range: \(start)")) }
        let candidates = last ? Array((0...min(start, max(0, s.count - t.count))).reversed()) : Array(start...s.count)
        for i in candidates where i + t.count <= s.count && Array(s[i..<(i + t.count)]) == t { return .int(Int64(i)) }
        return .int(-1)
    }

    static func replace(_ s: CELValue, _ old: CELValue, _ new: CELValue, limit: Int) -> CELValue {
        guard let s = str(s), let o = str(old), let n = str(new) else { return bad("replace") }
        guard limit != 0 else { return .string(s) }
        if o.isEmpty { return .string(s) }
        var out = ""
        var rest = Substring(s)
        var count = 0
        while limit < 0 || count < limit, let range = rest.range(of: o) {
            out += rest[..<range.lowerBound] + n
            rest = rest[range.upperBound...]
            count += 1
        }
        return .string(out + rest)
    }

    static func split(_ s: CELValue, _ separator: CELValue, limit: Int) -> CELValue {
        guard let s = str(s), let sep = str(separator) else { return bad("split") }
        if limit == 0 { return .list([], nil) }
        var parts: [String]
        if sep.isEmpty {
            parts = s.unicodeScalars.map { String($0) }
        } else {
            parts = s.components(separatedBy: sep)
        }
        if limit > 0, parts.count > limit {
            let head = parts.prefix(limit - 1)
            parts = Array(head) + [parts.dropFirst(limit - 1).joined(separator: sep)]
        }
        return .list(parts.map { .string($0) }, nil)
    }

    static func substring(_ s: CELValue, _ start: CELValue, _ end: CELValue?) -> CELValue {
        guard let s = str(s).map({ Array($0.unicodeScalars) }), let b = integer(start) else { return bad("substring") }
        let e = end.flatMap(integer) ?? s.count
        guard b >= 0, e <= s.count, b <= e else { return .error(CELEvalError("index out of range: \(b < 0 || b > s.count ? b : e)")) }
        return .string(String(String.UnicodeScalarView(s[b..<e])))
    }

    static func join(_ list: CELValue, _ separator: String) -> CELValue {
        guard case .list(let items, _) = list else { return bad("join") }
        var parts: [String] = []
        for item in items {
            guard let s = str(item) else { return bad("join") }
            parts.append(s)
        }
        return .string(parts.joined(separator: separator))
    }

    static func find(_ s: CELValue, _ pattern: CELValue, all: Bool, limit: Int) -> CELValue {
        guard let s = str(s), let p = str(pattern) else { return bad("find") }
        guard let regex = CELRegex.compile(p) else { return .error(CELEvalError("invalid regular expression: \(p)")) }
        let matches = regex.matches(in: s, range: NSRange(s.startIndex..., in: s))
        let texts = matches.compactMap { Range($0.range, in: s).map { String(s[$0]) } }
        if !all { return .string(texts.first ?? "") }
        let limited = limit < 0 ? texts : Array(texts.prefix(limit))
        return .list(limited.map { .string($0) }, nil)
    }
}

/// Regular expressions for `matches`, `find` and `findAll`: RE2 syntax, run by Foundation's
/// engine after refusing what RE2 does not accept (see ``RE2Syntax``).
enum CELRegex {
    static func compile(_ pattern: String) -> NSRegularExpression? {
        guard RE2Syntax.error(in: pattern) == nil else { return nil }
        return try? NSRegularExpression(pattern: pattern)
    }
}
