import KubeAPI

/// A set of field paths in the `FieldsV1` format of `metadata.managedFields`.
///
/// Each node is one path element: `f:<name>` for an object field, `k:{"name":"x"}` for the
/// list item whose merge keys have those values, `v:<json>` for a member of a set list,
/// `i:<n>` for a list index. A node is a *member* when the path itself is in the set;
/// `FieldsV1` spells a member that also has children with a `"."` entry.
public struct FieldSet: Sendable, Hashable {
    /// Whether the path of this node itself belongs to the set.
    public var isMember: Bool
    /// The child path elements, by their `FieldsV1` key.
    public var children: [String: FieldSet]

    /// An empty set.
    public init(isMember: Bool = false, children: [String: FieldSet] = [:]) {
        self.isMember = isMember
        self.children = children
    }

    /// Whether no path is in the set.
    public var isEmpty: Bool { !isMember && children.values.allSatisfy(\.isEmpty) }

    /// Decodes a `fieldsV1` object.
    public init(fieldsV1: JSONValue) {
        self.init()
        guard let object = fieldsV1.objectValue else { return }
        for (key, value) in object {
            if key == "." { isMember = true; continue }
            var child = FieldSet(fieldsV1: value)
            if value.objectValue?.isEmpty ?? true { child.isMember = true }
            children[key] = child
        }
    }

    /// The `fieldsV1` object: `"."` first, then the children in the server's order.
    public var fieldsV1: JSONValue {
        var object = JSONObject()
        if isMember, !children.isEmpty { object["."] = .object([:]) }
        for key in children.keys.sorted(by: Self.elementOrder) {
            let child = children[key]!
            guard !child.isEmpty else { continue }
            object[key] = child.fieldsV1
        }
        return .object(object)
    }

    /// Fields before keys before values before indexes, then by text.
    static func elementOrder(_ a: String, _ b: String) -> Bool {
        let rank: (String) -> Int = { ["f", "k", "v", "i"].firstIndex(of: String($0.prefix(1))) ?? 4 }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        return a < b
    }

    // MARK: - Set algebra

    /// Every path in either set.
    public func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.isMember = isMember || other.isMember
        for (key, child) in other.children {
            result.children[key] = (children[key] ?? FieldSet()).union(child)
        }
        return result
    }

    /// The paths of this set that are not in `other` (children are compared one by one).
    public func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(isMember: isMember && !other.isMember)
        for (key, child) in children {
            let rest = other.children[key].map { child.subtracting($0) } ?? child
            if !rest.isEmpty { result.children[key] = rest }
        }
        return result
    }

    /// The paths in both sets.
    public func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(isMember: isMember && other.isMember)
        for (key, child) in children {
            guard let theirs = other.children[key] else { continue }
            let both = child.intersection(theirs)
            if !both.isEmpty { result.children[key] = both }
        }
        return result
    }

    /// Every member path, as lists of path elements, in the server's order.
    public var paths: [[String]] {
        var result: [[String]] = isMember ? [[]] : []
        for key in children.keys.sorted(by: Self.elementOrder) {
            result += children[key]!.paths.map { [key] + $0 }
        }
        return result
    }

    /// The set with one path inserted.
    mutating func insert(_ path: ArraySlice<String>) {
        guard let first = path.first else { isMember = true; return }
        var child = children[first] ?? FieldSet()
        child.insert(path.dropFirst())
        children[first] = child
    }

    // MARK: - Path elements

    /// The path element of an object field.
    static func field(_ name: String) -> String { "f:" + name }

    /// The path element of a keyed list item: its merge keys, sorted, as compact JSON.
    static func key(_ item: JSONValue, keys: [String], defaults: [String: JSONValue] = [:]) -> String {
        let fields = keys.sorted().map { "\(JSON.string(.string($0))):\(JSON.string(item[$0] ?? defaults[$0] ?? .null))" }
        return "k:{" + fields.joined(separator: ",") + "}"
    }

    /// The path element of a set member.
    static func value(_ value: JSONValue) -> String { "v:" + JSON.string(value) }

    /// A path as the server prints it in conflicts: `.spec.containers[name="app"].image`.
    public static func describe(_ path: [String]) -> String {
        path.map { element -> String in
            let body = String(element.dropFirst(2))
            switch element.prefix(2) {
            case "f:": return "." + body
            case "v:": return "[=" + body + "]"
            case "i:": return "[" + body + "]"
            case "k:":
                guard let object = try? JSON.parse(body).objectValue else { return "[" + body + "]" }
                return "[" + object.map { "\($0.key)=\(JSON.string($0.value))" }.joined(separator: ",") + "]"
            default: return element
            }
        }.joined()
    }
}
