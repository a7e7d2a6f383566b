import KubeAPI

/// The uniqueness the server requires of `x-kubernetes-list-type` lists in custom resources
/// (apiextensions' `ValidateListSetsAndMaps`): no item of a `set` list may repeat an earlier
/// one, no item of a `map` list may repeat an earlier one's `x-kubernetes-list-map-keys`.
/// Each repetition is a `Duplicate value` at the repeating item, showing the item (sets) or
/// its keys (maps).
public enum ListTypeValidation {
    public static func validate(_ value: JSONValue, node: SchemaNode, path: FieldPath = FieldPath()) -> [FieldError] {
        var errors: [FieldError] = []
        switch value {
        case .array(let items):
            switch node.listType {
            case "set":
                for (i, item) in items.enumerated() where items[..<i].contains(where: { SchemaValidator.equal($0, item) }) {
                    errors.append(FieldError(.duplicate, field: path.index(i).description, value: item))
                }
            case "map":
                let keys = node.listMapKeys
                for (i, item) in items.enumerated() where items[..<i].contains(where: { sameKeys($0, item, keys: keys) }) {
                    var shown = JSONObject()
                    for key in keys { if let v = item[key] { shown[key] = v } }
                    errors.append(FieldError(.duplicate, field: path.index(i).description, value: .object(shown)))
                }
            default: break
            }
            if let itemSchema = node.items {
                for (i, item) in items.enumerated() { errors += validate(item, node: itemSchema, path: path.index(i)) }
            }
        case .object(let o):
            for (name, property) in node.properties.sorted(by: { $0.name < $1.name }) {
                if let child = o[name] { errors += validate(child, node: property, path: path.child(name)) }
            }
            if let extra = node.additionalPropertiesSchema {
                let declared = Set(node.properties.map(\.name))
                for key in o.keys.sorted() where !declared.contains(key) { errors += validate(o[key] ?? .null, node: extra, path: path.key(key)) }
            }
        default: break
        }
        return errors
    }

    /// Whether two items of a `map` list have the same values for every key field (a missing
    /// key equals only a missing key).
    static func sameKeys(_ a: JSONValue, _ b: JSONValue, keys: [String]) -> Bool {
        keys.allSatisfy { key in
            switch (a[key], b[key]) {
            case (nil, nil): true
            case (let x?, let y?): SchemaValidator.equal(x, y)
            default: false
            }
        }
    }
}
