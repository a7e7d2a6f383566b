import KubeAPI

extension CELDeclType {
    /// The CEL type of a structural schema node (`openAPIV3Schema` or a part of it), as
    /// Kubernetes derives it; nil when the node is not visible to CEL (no type, or items or
    /// map values that are not). `isResourceRoot` adds `apiVersion`, `kind` and
    /// `metadata.name`/`generateName`, which rules may always read at a resource's root.
    public static func from(schema: JSONValue, isResourceRoot: Bool) -> CELDeclType? {
        guard var node = schema.objectValue else { return nil }
        if node["x-kubernetes-int-or-string"]?.boolValue == true {
            let maxLength = node["maxLength"]?.numberValue?.int64
            return CELDeclType(kind: .dyn, maxElements: maxLength.map { max(0, $0) * 4 } ?? CELLimits.maxRequestSizeBytes - 2, minSerializedSize: 1)
        }
        if isResourceRoot { node = withTypeAndObjectMeta(node) }
        switch node["type"]?.stringValue ?? "" {
        case "array": return list(node)
        case "object": return object(node)
        case "string": return string(node)
        case "boolean": return CELDeclType(kind: .bool, minSerializedSize: 4)
        case "number": return CELDeclType(kind: .double, minSerializedSize: 1)
        case "integer": return CELDeclType(kind: .int, minSerializedSize: 1)
        default: return nil
        }
    }

    static func isEmbedded(_ schema: JSONValue?) -> Bool { schema?["x-kubernetes-embedded-resource"]?.boolValue == true }

    static func list(_ node: JSONObject) -> CELDeclType? {
        guard let items = node["items"], let itemType = from(schema: items, isResourceRoot: isEmbedded(items)) else { return nil }
        let maxItems = node["maxItems"]?.numberValue?.int64.map { max(0, $0) } ?? (CELLimits.maxRequestSizeBytes - 2) / (itemType.minSerializedSize + 1)
        return CELDeclType(
            kind: .list, elem: itemType, maxElements: maxItems, minSerializedSize: 2,
            listType: node["x-kubernetes-list-type"]?.stringValue,
            listMapKeys: node["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    static func object(_ node: JSONObject) -> CELDeclType? {
        if let extra = node["additionalProperties"], extra.objectValue != nil {
            guard let valueType = from(schema: extra, isResourceRoot: isEmbedded(extra)) else { return nil }
            let maxProperties = node["maxProperties"]?.numberValue?.int64.map { max(0, $0) } ?? (CELLimits.maxRequestSizeBytes - 2) / (valueType.minSerializedSize + 6)
            return CELDeclType(kind: .map, elem: valueType, maxElements: maxProperties, minSerializedSize: 2)
        }
        let required = Set(node["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var fields: [String: CELDeclField] = [:]
        var minSize: Int64 = 2
        for (name, property) in node["properties"]?.objectValue ?? JSONObject() {
            guard let type = from(schema: property, isResourceRoot: isEmbedded(property)) else { continue }
            if let escaped = CELEscaping.escape(name) {
                fields[escaped] = CELDeclField(name: escaped, jsonName: name, type: type, required: required.contains(name))
            }
            if required.contains(name) && property["default"] == nil {
                minSize += Int64(name.utf8.count) + type.minSerializedSize + 4
            }
        }
        return CELDeclType(kind: .object, fields: fields, minSerializedSize: minSize)
    }

    static func string(_ node: JSONObject) -> CELDeclType {
        let maxLength = node["maxLength"]?.numberValue?.int64.map { max(0, $0) }
        let unbounded = CELLimits.maxRequestSizeBytes - 2
        switch node["format"]?.stringValue {
        case "byte": return CELDeclType(kind: .bytes, maxElements: maxLength ?? unbounded, minSerializedSize: 2)
        case "duration": return CELDeclType(kind: .duration, maxElements: 32, minSerializedSize: 3)
        case "date": return CELDeclType(kind: .timestamp, maxElements: 12, minSerializedSize: 12)
        case "date-time": return CELDeclType(kind: .timestamp, maxElements: 32, minSerializedSize: 21)
        default: break
        }
        if let maxLength { return CELDeclType(kind: .string, maxElements: maxLength * 4, minSerializedSize: 2) }
        if let values = node["enum"]?.arrayValue, !values.isEmpty {
            let longest = values.compactMap(\.stringValue).map { Int64($0.utf8.count) }.max() ?? 0
            return CELDeclType(kind: .string, maxElements: longest, minSerializedSize: 2)
        }
        return CELDeclType(kind: .string, maxElements: unbounded, minSerializedSize: 2)
    }

    /// The node with `kind`, `apiVersion` (strings) and `metadata` (`name`, `generateName`)
    /// unless it declares all of them already.
    static func withTypeAndObjectMeta(_ node: JSONObject) -> JSONObject {
        let props = node["properties"]?.objectValue ?? JSONObject()
        let metaProps = props["metadata"]?["properties"]
        if props["kind"]?["type"]?.stringValue == "string", props["apiVersion"]?["type"]?.stringValue == "string",
           props["metadata"]?["type"]?.stringValue == "object", metaProps?["name"]?["type"]?.stringValue == "string",
           metaProps?["generateName"]?["type"]?.stringValue == "string" {
            return node
        }
        var result = node
        var newProps = props
        newProps["kind"] = ["type": "string"]
        newProps["apiVersion"] = ["type": "string"]
        newProps["metadata"] = ["type": "object", "properties": ["name": ["type": "string"], "generateName": ["type": "string"]]]
        result["properties"] = .object(newProps)
        return result
    }
}

/// Kubernetes' escaping of property names into CEL identifiers.
public enum CELEscaping {
    static let reserved: Set<String> = [
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    /// The CEL name of a property, or nil when it cannot be escaped (leading digit, other
    /// characters than letters, digits, `_`, `.`, `-`, `/`).
    public static func escape(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return nil }
        if reserved.contains(name) { return "__\(name)__" }
        var out = ""
        let scalars = Array(name.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "_", i + 1 < scalars.count, scalars[i + 1] == "_" {
                out += "__underscores__"
                i += 2
                continue
            }
            switch c {
            case ".": out += "__dot__"
            case "-": out += "__dash__"
            case "/": out += "__slash__"
            case "a"..."z", "A"..."Z", "0"..."9", "_": out.unicodeScalars.append(c)
            default: return nil
            }
            i += 1
        }
        return out
    }
}
