import KubeAPI

/// Validation ratcheting of custom-resource updates (GA since Kubernetes 1.33): an error
/// about a value the update did not change is dropped, so that objects stored before a
/// schema was tightened can still be updated (their status written, other fields changed).
///
/// A value is unchanged when it, or any value above it, equals the old value it correlates
/// with: object properties and map values by name, items of `x-kubernetes-list-type: map`
/// lists by their keys, items of `set` lists by value; items of other lists do not
/// correlate (only the list as a whole does).
public enum ValidationRatcheting {
    /// Whether the value at `field` (an error's path: `spec.ports[1].name`, `spec.limits.cpu`)
    /// is unchanged from `old`.
    public static func unchanged(_ field: String, new: JSONValue, old: JSONValue, schema: SchemaNode) -> Bool {
        guard let steps = parse(field) else { return false }
        var newValue: JSONValue? = new
        var oldValue: JSONValue? = old
        var node: SchemaNode? = schema
        for step in steps {
            guard let n = newValue, let o = oldValue else { return false }
            if SchemaValidator.equal(n, o) { return true }
            switch step {
            case .name(let name):
                newValue = n[name]
                oldValue = o[name]
                node = node?.property(name) ?? node?.additionalPropertiesSchema
            case .index(let i):
                guard case .array(let items) = n, i < items.count else { return false }
                let item = items[i]
                newValue = item
                switch node?.listType {
                case "map":
                    let keys = node?.listMapKeys ?? []
                    oldValue = o.arrayValue?.first { ListTypeValidation.sameKeys($0, item, keys: keys) }
                case "set":
                    oldValue = o.arrayValue?.first { SchemaValidator.equal($0, item) }
                default:
                    oldValue = nil
                }
                node = node?.items
            }
        }
        guard let n = newValue, let o = oldValue else { return false }
        return SchemaValidator.equal(n, o)
    }

    enum Step: Equatable {
        case name(String)
        case index(Int)
    }

    /// The steps of a kube-style field path; nil for paths that name no value (`<nil>`).
    static func parse(_ field: String) -> [Step]? {
        guard !field.isEmpty, field != "<nil>" else { return nil }
        var steps: [Step] = []
        var current = ""
        var chars = Substring(field)
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case ".":
                if !current.isEmpty { steps.append(.name(current)) }
                current = ""
            case "[":
                if !current.isEmpty { steps.append(.name(current)) }
                current = ""
                let inside = chars.prefix { $0 != "]" }
                chars = chars.dropFirst(inside.count + 1)
                steps.append(Int(inside).map(Step.index) ?? .name(String(inside)))
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { steps.append(.name(current)) }
        return steps
    }
}
