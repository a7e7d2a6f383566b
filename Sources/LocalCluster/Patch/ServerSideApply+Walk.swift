import KubeAPI

/// The value walks of server-side apply: field sets, comparison, merge and pruning.
extension ServerSideApply {
    /// The fields an applied configuration sets.
    static func appliedSet(_ value: JSONValue, _ schema: ApplySchema) -> FieldSet {
        switch (value, schema) {
        case (.object(let object), .structure), (.object(let object), .deduced):
            var set = FieldSet(isMember: schema == .deduced)
            for (name, child) in object { set.children[FieldSet.field(name)] = appliedSet(child, schema.field(name)) }
            return set
        case (.array(let items), .mapList(let keys, let item, let defaults)):
            var set = FieldSet()
            for element in items {
                var child = appliedSet(element, item)
                child.isMember = true
                set.children[FieldSet.key(element, keys: keys, defaults: defaults)] = child
            }
            return set
        case (.array(let items), .set):
            var set = FieldSet()
            for element in items { set.children[FieldSet.value(element)] = FieldSet(isMember: true) }
            return set
        default:
            return FieldSet(isMember: true)
        }
    }

    /// The fields whose value `new` adds or changes compared with `old` (an added object
    /// or list item is itself in the set, with everything below it).
    static func changes(from old: JSONValue?, to new: JSONValue, _ schema: ApplySchema) -> FieldSet {
        switch (new, schema) {
        case (.object(let object), .structure), (.object(let object), .deduced):
            // A new object is itself owned; one that was there as null (a Go field without
            // omitempty, in the zero value a create compares with) is not new.
            var set = FieldSet(isMember: old == nil)
            for (name, child) in object {
                let changed = changes(from: old?[name], to: child, schema.field(name))
                if !changed.isEmpty { set.children[FieldSet.field(name)] = changed }
            }
            return set
        case (.array(let items), .mapList(let keys, let item, let defaults)):
            var set = FieldSet(isMember: old == nil)
            for element in items {
                // Items whose keys are not unique are owned whole, as the real field manager does.
                if items.filter({ sameKeys($0, element, keys, defaults) }).count > 1 {
                    set.children[FieldSet.key(element, keys: keys, defaults: defaults)] = FieldSet(isMember: true)
                    continue
                }
                let previous = old?.arrayValue?.first { sameKeys($0, element, keys, defaults) }
                var changed = changes(from: previous, to: element, item)
                if previous == nil { changed.isMember = true }
                if !changed.isEmpty { set.children[FieldSet.key(element, keys: keys, defaults: defaults)] = changed }
            }
            return set
        case (.array(let items), .set):
            var set = FieldSet(isMember: old == nil)
            for element in items where !(old?.arrayValue?.contains(element) ?? false) {
                set.children[FieldSet.value(element)] = FieldSet(isMember: true)
            }
            return set
        default:
            return FieldSet(isMember: old != new)
        }
    }

    /// The live value with the applied configuration merged in.
    static func merge(_ live: JSONValue?, _ config: JSONValue, _ schema: ApplySchema) -> JSONValue {
        switch (live, config, schema) {
        case (.object(var result)?, .object(let object), .structure), (.object(var result)?, .object(let object), .deduced):
            for (name, child) in object { result[name] = merge(result[name], child, schema.field(name)) }
            return .object(result)
        case (.array(var result)?, .array(let items), .mapList(let keys, let item, let defaults)):
            for element in items {
                if let index = result.firstIndex(where: { sameKeys($0, element, keys, defaults) }) {
                    result[index] = merge(result[index], element, item)
                } else {
                    result.append(element)
                }
            }
            return .array(result)
        case (.array(let result)?, .array(let items), .set):
            return .array(result + items.filter { !result.contains($0) })
        default:
            return config
        }
    }

    /// `value` without the members of `removal` that no path of `others` lies under.
    static func prune(_ value: JSONValue, removing removal: FieldSet, others: FieldSet, _ schema: ApplySchema) -> JSONValue {
        switch (value, schema) {
        case (.object(var object), .structure), (.object(var object), .deduced):
            for (name, child) in object {
                let key = FieldSet.field(name)
                guard let remove = removal.children[key] else { continue }
                let kept = others.children[key] ?? FieldSet()
                if remove.isMember, kept.isEmpty {
                    object.removeValue(forKey: name)
                } else {
                    object[name] = prune(child, removing: remove, others: kept, schema.field(name))
                }
            }
            return .object(object)
        case (.array(let items), .mapList(let keys, let item, let defaults)):
            return .array(items.compactMap { element in
                let key = FieldSet.key(element, keys: keys, defaults: defaults)
                guard let remove = removal.children[key] else { return element }
                let kept = others.children[key] ?? FieldSet()
                if remove.isMember, kept.isEmpty { return nil }
                return prune(element, removing: remove, others: kept, item)
            })
        case (.array(let items), .set):
            return .array(items.filter { element in
                let key = FieldSet.value(element)
                return !(removal.children[key]?.isMember ?? false) || !(others.children[key]?.isEmpty ?? true)
            })
        default:
            return value
        }
    }

    static func sameKeys(_ a: JSONValue, _ b: JSONValue, _ keys: [String], _ defaults: [String: JSONValue]) -> Bool {
        keys.allSatisfy { (a[$0] ?? defaults[$0]) == (b[$0] ?? defaults[$0]) }
    }

    /// Drops the fields the server never tracks: `apiVersion`, `kind`, `metadata` itself and
    /// its identity and bookkeeping fields.
    static func stripped(_ set: FieldSet) -> FieldSet {
        var set = set
        set.isMember = false
        set.children["f:apiVersion"] = nil
        set.children["f:kind"] = nil
        if var metadata = set.children["f:metadata"] {
            metadata.isMember = false
            for name in ["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"] {
                metadata.children[FieldSet.field(name)] = nil
            }
            set.children["f:metadata"] = metadata
        }
        return set
    }
}
