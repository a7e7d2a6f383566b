import KubeAPI

/// The component schemas of one served kind: the kind and its list.
enum OpenAPIKindSchemas {
    static func schemas(for r: ServedResource) -> [(String, JSONValue)] {
        let custom = r.crdName != nil
        let name = OpenAPIV3.schemaName(group: r.group, version: r.version, kind: r.kind, custom: custom)
        let listName = OpenAPIV3.schemaName(group: r.group, version: r.version, kind: r.kind + "List", custom: custom)
        var kind = custom ? crdSchema(r.schema) : OpenAPIBuiltinSchemas.schema(for: r.kind)
        kind["x-kubernetes-group-version-kind"] = gvk(r, kind: r.kind)
        return [(name, .object(kind)), (listName, listSchema(r, itemRef: "#/components/schemas/\(name)"))]
    }

    static func gvk(_ r: ServedResource, kind: String) -> JSONValue {
        [["group": .string(r.group), "kind": .string(kind), "version": .string(r.version)]]
    }

    static let apiVersionProperty: JSONValue = [
        "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
        "type": "string",
    ]
    static let kindProperty: JSONValue = [
        "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
        "type": "string",
    ]
    static let metadataProperty: JSONValue = [
        "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        "allOf": [["$ref": .string("#/components/schemas/\(OpenAPIMetaSchemas.prefix)ObjectMeta")]],
    ]

    /// A CRD version's `openAPIV3Schema` as the real server publishes it: `apiVersion`,
    /// `kind` and `metadata` (a reference to ObjectMeta) added, properties sorted,
    /// `x-kubernetes-int-or-string` expanded to `anyOf: [integer, string]`.
    static func crdSchema(_ schema: JSONValue?) -> JSONObject {
        guard case .object(let source)? = schema.map(normalized) else {
            return ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        }
        var result = JSONObject()
        if let description = source["description"] { result["description"] = description }
        result["type"] = "object"
        if let required = source["required"] { result["required"] = required }
        var properties = source["properties"]?.objectValue ?? JSONObject()
        properties["apiVersion"] = apiVersionProperty
        properties["kind"] = kindProperty
        properties["metadata"] = metadataProperty
        result["properties"] = .object(OpenAPIV3.sorted(properties))
        for (key, value) in source where result[key] == nil && key != "properties" { result[key] = value }
        return result
    }

    /// Sorts `properties` at every level and expands int-or-string.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(normalized))
        case .object(let object):
            var result = JSONObject()
            for (key, member) in object {
                if key == "properties", case .object(let props) = member {
                    result[key] = normalized(.object(OpenAPIV3.sorted(props)))
                } else {
                    result[key] = normalized(member)
                }
            }
            if result["x-kubernetes-int-or-string"] == .bool(true), result["anyOf"] == nil {
                var expanded = JSONObject()
                for (key, member) in result {
                    if key == "x-kubernetes-int-or-string" { expanded["anyOf"] = [["type": "integer"], ["type": "string"]] }
                    expanded[key] = member
                }
                result = expanded
            }
            return .object(result)
        default: return value
        }
    }

    static func listSchema(_ r: ServedResource, itemRef: String) -> JSONValue {
        [
            "description": .string("\(r.kind)List is a list of \(r.kind)"),
            "type": "object",
            "required": ["items"],
            "properties": [
                "apiVersion": apiVersionProperty,
                "items": ["description": .string("List of \(r.plural). More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"), "type": "array", "items": ["$ref": .string(itemRef)]],
                "kind": kindProperty,
                "metadata": [
                    "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                    "allOf": [["$ref": .string("#/components/schemas/\(OpenAPIMetaSchemas.prefix)ListMeta")]],
                ],
            ],
            "x-kubernetes-group-version-kind": gvk(r, kind: r.kind + "List"),
        ]
    }
}
