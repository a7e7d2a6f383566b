import KubeAPI

/// The simple JSONPath of CRD `additionalPrinterColumns`: `.a.b`, `.a[0].b`, `.a['x.y']`
/// (what the API server accepts for printer columns), evaluated against an object.
enum SimpleJSONPath {
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    /// Parses `path`; nil when it is not a simple path.
    static func parse(_ path: String) -> [Step]? {
        var text = Substring(path.hasPrefix("{") && path.hasSuffix("}") ? String(path.dropFirst().dropLast()) : path)
        var steps: [Step] = []
        while !text.isEmpty {
            if text.hasPrefix(".") {
                text = text.dropFirst()
                let name = text.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                steps.append(.key(String(name)))
                text = text.dropFirst(name.count)
            } else if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]") else { return nil }
                let inner = text[text.index(after: text.startIndex)..<close]
                if let index = Int(inner) {
                    steps.append(.index(index))
                } else if inner.count >= 2, let q = inner.first, q == "'" || q == "\"", inner.last == q {
                    steps.append(.key(String(inner.dropFirst().dropLast())))
                } else {
                    return nil
                }
                text = text[text.index(after: close)...]
            } else {
                return nil
            }
        }
        return steps
    }

    /// The value at `path` in `object`; nil when absent (or the path is not simple).
    static func evaluate(_ path: String, in object: JSONValue) -> JSONValue? {
        guard let steps = parse(path) else { return nil }
        var current: JSONValue? = object
        for step in steps {
            switch step {
            case .key(let key): current = current?[key]
            case .index(let index):
                guard let items = current?.arrayValue else { return nil }
                let i = index < 0 ? items.count + index : index
                current = items.indices.contains(i) ? items[i] : nil
            }
        }
        return current
    }

    /// How kubectl's JSONPath printer shows a value: strings raw, numbers as written,
    /// objects and arrays in Go's `fmt` form (`map[a:1 b:x]`, `[1 2]`).
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.text
        case .string(let s): return s
        case .array(let items): return "[" + items.map(text).joined(separator: " ") + "]"
        case .object(let object):
            return "map[" + object.keys.sorted().map { "\($0):\(text(object[$0] ?? .null))" }.joined(separator: " ") + "]"
        }
    }
}
