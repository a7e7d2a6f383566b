import KubeAPI

/// Why a strategic merge patch could not be applied.
public struct StrategicMergePatchError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// A malformed patch (`400`) rather than one that cannot be applied (`422`).
    public var malformed = false
    public var description: String { message }
}

/// Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds, as
/// kubectl sends it: maps merge, `null` deletes, lists with a merge key merge element by
/// element (see ``PatchSchema``), other lists replace. Directives:
/// - `"$patch": "replace"` in a map replaces the map; as a list element, the whole list;
/// - `"$patch": "delete"` in a map deletes it; in a merge-list element, that element;
/// - `"$retainKeys": [...]` keeps only the named fields of the map after merging;
/// - `"$deleteFromPrimitiveList/<field>": [...]` removes those scalars from a set list;
/// - `"$setElementOrder/<field>": [...]` orders a merged list as the patch author's list.
public enum StrategicMergePatch {
    /// Applies `patch` to `original` with the rules of `schema`.
    public static func apply(_ patch: JSONValue, to original: JSONValue, schema: PatchSchema) throws(StrategicMergePatchError) -> JSONValue {
        guard case .object(let p) = patch else { throw StrategicMergePatchError(message: "a strategic merge patch must be a JSON object") }
        return try mergeMap(original.objectValue ?? JSONObject(), p, schema: schema).map(JSONValue.object) ?? .object(JSONObject())
    }

    /// Merges a map; nil means "delete this map".
    static func mergeMap(_ original: JSONObject, _ patch: JSONObject, schema: PatchSchema) throws(StrategicMergePatchError) -> JSONObject? {
        switch patch["$patch"]?.stringValue {
        case "delete": return nil
        case "replace": return try mergeMap(JSONObject(), removingDirective(patch), schema: schema)
        case nil, "merge": break
        // Into nothing, an unknown directive adds nothing (the real merge takes the patch as the value).
        case _? where original.isEmpty: return nil
        case let other?: throw StrategicMergePatchError(message: "unknown patch type: \(other) in map: \(JSON.string(.object(patch)))")
        }
        if let retain = patch["$retainKeys"]?.arrayValue?.compactMap(\.stringValue),
            patch.contains(where: { !$0.key.hasPrefix("$") && !$0.value.isNull && !retain.contains($0.key) })
        {
            throw StrategicMergePatchError(message: "invalid patch format of retainKeys", malformed: true)
        }
        var result = original
        var orders: [(String, [JSONValue])] = []
        for (key, value) in patch {
            if key == "$patch" || key == "$retainKeys" { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let doomed = value.arrayValue ?? []
                if let items = result[field]?.arrayValue { result[field] = .array(items.filter { !doomed.contains($0) }) }
                continue
            }
            if key.hasPrefix("$setElementOrder/") {
                orders.append((String(key.dropFirst("$setElementOrder/".count)), value.arrayValue ?? []))
                continue
            }
            if value.isNull { result.removeValue(forKey: key); continue }
            result[key] = try mergeValue(result[key], value, schema: schema.field(key) ?? .plain)
            if result[key] == nil { result.removeValue(forKey: key) }
        }
        for (field, order) in orders {
            guard let items = result[field]?.arrayValue, let originalItems = original[field]?.arrayValue ?? [] as [JSONValue]? else { continue }
            result[field] = .array(ElementOrder.apply(order, to: items, serverOrder: originalItems, key: schema.field(field)?.mergeKey))
        }
        if let retain = patch["$retainKeys"]?.arrayValue?.compactMap(\.stringValue) {
            for key in result.keys where !retain.contains(key) { result.removeValue(forKey: key) }
        }
        return result
    }

    private static func mergeValue(_ original: JSONValue?, _ patch: JSONValue, schema: PatchSchema) throws(StrategicMergePatchError) -> JSONValue? {
        switch patch {
        case .object(let p):
            return try mergeMap(original?.objectValue ?? JSONObject(), p, schema: schema).map(JSONValue.object)
        case .array(let p):
            return .array(try mergeList(original?.arrayValue ?? [], p, schema: schema))
        default:
            return patch
        }
    }

    /// Merges a list by its strategy.
    static func mergeList(_ original: [JSONValue], _ patch: [JSONValue], schema: PatchSchema) throws(StrategicMergePatchError) -> [JSONValue] {
        let replace = patch.contains { $0["$patch"]?.stringValue == "replace" }
        switch schema {
        case .mergeList(let key, let item):
            var result = replace ? [] : original
            for element in patch where element["$patch"]?.stringValue != "replace" {
                guard case .object(let p) = element else { throw StrategicMergePatchError(message: "expected a map in a list merged by \(key), got \(JSON.string(element))") }
                let id = p[key]
                let index = result.firstIndex { $0[key] == id && id != nil }
                if p["$patch"]?.stringValue == "delete" {
                    result.removeAll { $0[key] == id }
                    continue
                }
                let merged = try mergeMap(index.flatMap { result[$0].objectValue } ?? JSONObject(), p, schema: item)
                switch (index, merged) {
                case (let i?, let m?): result[i] = .object(m)
                case (let i?, nil): result.remove(at: i)
                case (nil, let m?): result.append(.object(m))
                case (nil, nil): break
                }
            }
            return result
        case .primitiveSet:
            var result = replace ? [] : original
            for element in patch where element["$patch"] == nil && !result.contains(element) { result.append(element) }
            return result
        default:
            return try patch.map { element throws(StrategicMergePatchError) in
                guard case .object(let o) = element else { return element }
                return .object(try mergeMap(JSONObject(), o, schema: .plain) ?? JSONObject())
            }
        }
    }

    private static func removingDirective(_ patch: JSONObject) -> JSONObject {
        var copy = patch
        copy.removeValue(forKey: "$patch")
        return copy
    }
}

extension PatchSchema {
    /// The merge key of a merge list.
    var mergeKey: String? {
        if case .mergeList(let key, _) = self { return key }
        return nil
    }
}
