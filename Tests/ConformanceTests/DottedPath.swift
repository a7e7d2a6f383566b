import KubeAPI

/// A path into a JSON value as the corpus writes it: `spec.containers.0.image` (object keys
/// separated by dots, list indexes as numbers). Used by `set`/`unset`, `until.has` and the
/// `{{setup.N.a.b}}` templates.
struct DottedPath: Sendable, Hashable {
    var segments: [String]

    init(_ text: String) { segments = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
    init(segments: [String]) { self.segments = segments }

    /// The value at the path, or nil when some step is missing.
    func value(in root: JSONValue) -> JSONValue? {
        var current: JSONValue? = root
        for segment in segments {
            switch current {
            case .object(let o)?: current = o[segment]
            case .array(let a)?:
                guard let i = Int(segment), a.indices.contains(i) else { return nil }
                current = a[i]
            default: return nil
            }
        }
        return current
    }

    /// `root` with the value at the path replaced (objects are created along the way; a list
    /// index one past the end appends).
    func setting(_ value: JSONValue, in root: JSONValue) -> JSONValue {
        Self.set(value, segments[...], in: root)
    }

    /// `root` without the value at the path (unchanged when it is absent).
    func removing(from root: JSONValue) -> JSONValue {
        Self.remove(segments[...], from: root)
    }

    private static func set(_ value: JSONValue, _ rest: ArraySlice<String>, in node: JSONValue) -> JSONValue {
        guard let head = rest.first else { return value }
        let tail = rest.dropFirst()
        if case .array(var a) = node, let i = Int(head), i >= 0, i <= a.count {
            if i == a.count { a.append(set(value, tail, in: .null)) } else { a[i] = set(value, tail, in: a[i]) }
            return .array(a)
        }
        var o = node.objectValue ?? JSONObject()
        o[head] = set(value, tail, in: o[head] ?? .null)
        return .object(o)
    }

    private static func remove(_ rest: ArraySlice<String>, from node: JSONValue) -> JSONValue {
        guard let head = rest.first else { return node }
        let tail = rest.dropFirst()
        switch node {
        case .object(var o):
            guard let child = o[head] else { return node }
            if tail.isEmpty { o.removeValue(forKey: head) } else { o[head] = remove(tail, from: child) }
            return .object(o)
        case .array(var a):
            guard let i = Int(head), a.indices.contains(i) else { return node }
            if tail.isEmpty { a.remove(at: i) } else { a[i] = remove(tail, from: a[i]) }
            return .array(a)
        default:
            return node
        }
    }
}
