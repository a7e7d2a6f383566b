import KubeAPI

/// The checks a v1 CRD's `openAPIV3Schema` must pass: first the OpenAPI keyword rules
/// (unsupported keywords, `uniqueItems`, `additionalProperties` with `properties`), then the
/// structural-schema invariants, which the server reports sorted by message.
///
/// Not covered: the value-validation junctors (`allOf`/`anyOf`/`oneOf`/`not`) beyond the
/// metadata rule, default-value validation, CEL rules.
public enum StructuralSchemaCheck {
    /// All errors of the schema at `path` (e.g. `spec.versions[0].schema.openAPIV3Schema`).
    public static func validate(_ root: SchemaNode, at path: FieldPath) -> [FieldError] {
        let openAPI = openAPIErrors(root, at: path)
        var structural = invariants(root, level: .root, at: path)
        structural.sort { $0.description < $1.description }
        return openAPI + structural
    }

    static let unsupported: [(key: String, message: String)] = [
        ("id", "id is not supported"), ("additionalItems", "additionalItems is not supported"),
        ("patternProperties", "patternProperties is not supported"), ("definitions", "definitions is not supported"),
        ("dependencies", "dependencies is not supported"), ("$ref", "$ref is not supported"),
    ]

    /// The OpenAPI v3 keyword rules, walking properties in name order.
    static func openAPIErrors(_ node: SchemaNode, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, message) in unsupported where node.object[key] != nil {
            errors.append(FieldError(.forbidden, field: path.child(key).description, detail: message))
        }
        if node.type == "null" {
            errors.append(FieldError(.forbidden, field: path.child("type").description, detail: "type cannot be set to null"))
        }
        if node.object["items"]?.arrayValue != nil {
            errors.append(FieldError(.forbidden, field: path.child("items").description, detail: "items must be a schema object and not an array"))
        }
        if node.uniqueItems {
            errors.append(FieldError(.forbidden, field: path.child("uniqueItems").description, detail: "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        if let extra = node.additionalProperties {
            if node.hasProperties && extra != .allowed(true) {
                errors.append(FieldError(.forbidden, field: path.child("additionalProperties").description, detail: "additionalProperties and properties are mutual exclusive"))
            }
            if case .schema(let s) = extra { errors += openAPIErrors(s, at: path.child("additionalProperties")) }
        }
        for (name, prop) in node.properties.sorted(by: { $0.name < $1.name }) {
            errors += openAPIErrors(prop, at: path.child("properties").key(name))
        }
        if let items = node.items { errors += openAPIErrors(items, at: path.child("items")) }
        return errors
    }

    enum Level { case root, item, field }

    /// The structural invariants (`ValidateStructural`).
    static func invariants(_ node: SchemaNode, level: Level, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if node.type == "array" && node.items == nil {
            errors.append(FieldError(.required, field: path.child("items").description, detail: "must be specified"))
        }
        if let items = node.items { errors += invariants(items, level: .item, at: path.child("items")) }
        for (name, prop) in node.properties {
            errors += invariants(prop, level: .field, at: path.child("properties").key(name))
        }
        if let extra = node.additionalProperties {
            if level == .root {
                errors.append(FieldError(.forbidden, field: path.child("additionalProperties").description, detail: "must not be used at the root"))
            }
            if case .schema(let s) = extra { errors += invariants(s, level: .field, at: path.child("additionalProperties")) }
        }
        errors += extensionErrors(node, at: path)
        errors += typeErrors(node, level: level, at: path)
        errors += metadataErrors(node, level: level, at: path)
        return errors
    }

    static func extensionErrors(_ node: SchemaNode, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if node.intOrString && node.preserveUnknownFields {
            errors.append(FieldError(.invalid, field: path.child("x-kubernetes-preserve-unknown-fields").description, value: true, detail: "must be false if x-kubernetes-int-or-string is true"))
        }
        if node.intOrString && node.embeddedResource {
            errors.append(FieldError(.invalid, field: path.child("x-kubernetes-embedded-resource").description, value: true, detail: "must be false if x-kubernetes-int-or-string is true"))
        }
        if node.embeddedResource && node.additionalProperties != nil {
            errors.append(FieldError(.forbidden, field: path.child("additionalProperties").description, detail: "must not be used if x-kubernetes-embedded-resource is set"))
        }
        if node.embeddedResource && !node.preserveUnknownFields && !node.hasProperties {
            errors.append(FieldError(.required, field: path.child("properties").description, detail: "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"))
        }
        return errors
    }

    static func typeErrors(_ node: SchemaNode, level: Level, at path: FieldPath) -> [FieldError] {
        let typePath = path.child("type").description
        let embeddedMessage = "must be object if x-kubernetes-embedded-resource is true"
        if node.embeddedResource && node.type != "object" {
            if let type = node.type { return [FieldError(.invalid, field: typePath, value: .string(type), detail: embeddedMessage)] }
            return [FieldError(.required, field: typePath, detail: embeddedMessage)]
        }
        var errors: [FieldError] = []
        if node.type == nil && !node.intOrString && !node.preserveUnknownFields {
            let detail = switch level {
            case .root: "must not be empty at the root"
            case .item: "must not be empty for specified array items"
            case .field: "must not be empty for specified object fields"
            }
            errors.append(FieldError(.required, field: typePath, detail: detail))
        }
        if level == .root, let type = node.type, type != "object" {
            errors.append(FieldError(.invalid, field: typePath, value: .string(type), detail: "must be object at the root"))
        }
        return errors
    }

    /// apiVersion/kind must be strings and metadata an object (at the root and in embedded
    /// resources); root metadata may restrict only `name` and `generateName`.
    static func metadataErrors(_ node: SchemaNode, level: Level, at path: FieldPath) -> [FieldError] {
        guard level == .root || node.embeddedResource else { return [] }
        var errors: [FieldError] = []
        let props = path.child("properties")
        for (key, expected) in [("kind", "string"), ("apiVersion", "string"), ("metadata", "object")] {
            guard let prop = node.property(key), prop.type != expected else { continue }
            errors.append(FieldError(.invalid, field: props.key(key).child("type").description, value: .string(prop.type ?? ""), detail: "must be \(expected)"))
        }
        guard level == .root, var meta = node.property("metadata")?.object else { return errors }
        if let metaProps = meta["properties"]?.objectValue,
           metaProps.keys.allSatisfy({ $0 == "name" || $0 == "generateName" }) {
            meta.removeValue(forKey: "properties")
        }
        for key in ["type", "default"] { meta.removeValue(forKey: key) }
        if !meta.isEmpty {
            errors.append(FieldError(.forbidden, field: props.key("metadata").description,
                                     detail: "must not specify anything other than name and generateName, but metadata is implicitly specified"))
        }
        return errors
    }
}
