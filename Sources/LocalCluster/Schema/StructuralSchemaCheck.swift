import CEL
import KubeAPI

/// The structural-schema rules of a CRD's `openAPIV3Schema` (apiextensions-apiserver's
/// `NewStructural` and `ValidateStructural`): whether the schema converts to a structural
/// one at all, then its invariants (types everywhere, `items` for arrays, metadata at the
/// root, the extensions) and its value validations (`allOf`/`anyOf`/`oneOf`/`not` may only
/// restrict values: no types, defaults, descriptions or extensions inside them; `pattern`s
/// must be RE2). The server reports the invariants sorted by message.
public enum StructuralSchemaCheck {
    /// All structural errors of the schema at `path` (e.g. `spec.validation.openAPIV3Schema`).
    public static func validate(_ root: SchemaNode, at path: FieldPath) -> [FieldError] {
        var errors = invariants(root, level: .root, at: path)
        errors.sort { $0.description < $1.description }
        return errors
    }

    /// Why `NewStructural` refuses the schema (keywords it cannot represent, `items` as an
    /// array, `x-kubernetes-preserve-unknown-fields: false`); nil when it converts.
    public static func conversionError(_ node: SchemaNode) -> String? {
        let unsupported: [(String, String)] = [
            ("id", "id"), ("$schema", "schema"), ("$ref", "$ref"), ("patternProperties", "patternProperties"),
            ("dependencies", "dependencies"), ("additionalItems", "additionalItems"), ("definitions", "definitions"),
        ]
        for (key, name) in unsupported {
            guard let value = node.object[key] else { continue }
            let empty = value.isNull || value.stringValue == "" || value.objectValue?.isEmpty == true
            if key == "additionalItems" || !empty { return "OpenAPIV3Schema '\(name)' is not supported" }
        }
        if node.object["items"]?.arrayValue != nil { return "OpenAPIV3Schema 'items' must be a schema, but is an array" }
        if node.object["x-kubernetes-preserve-unknown-fields"]?.boolValue == false {
            return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined"
        }
        var children: [SchemaNode] = node.properties.map(\.schema)
        if let items = node.items { children.append(items) }
        if let extra = node.additionalPropertiesSchema { children.append(extra) }
        if let not = SchemaNode(node.object["not"]) { children.append(not) }
        for key in ["allOf", "anyOf", "oneOf"] { children += (node.object[key]?.arrayValue ?? []).compactMap(SchemaNode.init) }
        for child in children { if let error = conversionError(child) { return error } }
        return nil
    }

    enum Level { case root, item, field }

    /// The structural invariants (`validateStructuralInvariants`).
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
        errors += valueValidationErrors(
            node, skipAnyOf: isIntOrStringAnyOf(node.object["anyOf"]),
            skipFirstAllOfAnyOf: isIntOrStringAnyOf(node.object["allOf"]?.arrayValue?.first?["anyOf"]), at: path)
        errors += typeErrors(node, level: level, at: path)
        errors += metadataErrors(node, level: level, at: path)
        if node.embeddedResource && !node.preserveUnknownFields && !node.hasProperties {
            errors.append(FieldError(.required, field: path.child("properties").description, detail: "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"))
        }
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
        return errors
    }

    /// `anyOf: [{type: integer}, {type: string}]`, the form int-or-string fields may spell out.
    static func isIntOrStringAnyOf(_ value: JSONValue?) -> Bool {
        value == [["type": "integer"], ["type": "string"]]
    }

    /// `validateValueValidation`: the junctors of a node and its `pattern`.
    static func valueValidationErrors(_ node: SchemaNode, skipAnyOf: Bool, skipFirstAllOfAnyOf: Bool, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        func clauses(_ key: String) -> [SchemaNode] { (node.object[key]?.arrayValue ?? []).map { SchemaNode($0) ?? SchemaNode(JSONObject()) } }
        if !skipAnyOf {
            for (i, clause) in clauses("anyOf").enumerated() { errors += nestedErrors(clause, skipAnyOf: false, at: path.child("anyOf").index(i)) }
        }
        for (i, clause) in clauses("allOf").enumerated() {
            errors += nestedErrors(clause, skipAnyOf: skipFirstAllOfAnyOf && i == 0, at: path.child("allOf").index(i))
        }
        for (i, clause) in clauses("oneOf").enumerated() { errors += nestedErrors(clause, skipAnyOf: false, at: path.child("oneOf").index(i)) }
        if let not = SchemaNode(node.object["not"]) { errors += nestedErrors(not, skipAnyOf: false, at: path.child("not")) }
        if let pattern = node.pattern, !pattern.isEmpty, let error = RE2Syntax.error(in: pattern) {
            errors.append(FieldError(.invalid, field: path.child("pattern").description, value: .string(pattern), detail: "must be a valid regular expression, but isn't: \(error)"))
        }
        return errors
    }

    /// `validateNestedValueValidation`: inside a junctor only value restrictions are allowed.
    static func nestedErrors(_ node: SchemaNode, skipAnyOf: Bool, at path: FieldPath) -> [FieldError] {
        var errors = valueValidationErrors(node, skipAnyOf: skipAnyOf, skipFirstAllOfAnyOf: false, at: path)
        if let items = node.items { errors += nestedErrors(items, skipAnyOf: false, at: path.child("items")) }
        for (name, prop) in node.properties {
            errors += nestedErrors(prop, skipAnyOf: false, at: path.child("properties").key(name))
        }
        let o = node.object
        func forbid(_ key: String, _ detail: String) { errors.append(FieldError(.forbidden, field: path.child(key).description, detail: detail)) }
        if node.type != nil { forbid("type", "must be empty to be structural") }
        switch node.additionalProperties {
        case .schema?, .allowed(true)?: forbid("additionalProperties", "must be undefined to be structural")
        default: break
        }
        if let d = o["default"], !d.isNull { forbid("default", "must be undefined to be structural") }
        if !(o["title"]?.stringValue ?? "").isEmpty { forbid("title", "must be empty to be structural") }
        if !(o["description"]?.stringValue ?? "").isEmpty { forbid("description", "must be empty to be structural") }
        if node.nullable { forbid("nullable", "must be false to be structural") }
        if node.preserveUnknownFields { forbid("x-kubernetes-preserve-unknown-fields", "must be false to be structural") }
        if node.embeddedResource { forbid("x-kubernetes-embedded-resource", "must be false to be structural") }
        if node.intOrString { forbid("x-kubernetes-int-or-string", "must be false to be structural") }
        if !(o["x-kubernetes-list-map-keys"]?.arrayValue?.isEmpty ?? true) { forbid("x-kubernetes-list-map-keys", "must be empty to be structural") }
        if o["x-kubernetes-list-type"] != nil { forbid("x-kubernetes-list-type", "must be undefined to be structural") }
        if o["x-kubernetes-map-type"] != nil { forbid("x-kubernetes-map-type", "must be undefined to be structural") }
        if !(o["x-kubernetes-validations"]?.arrayValue?.isEmpty ?? true) { forbid("x-kubernetes-validations", "must be empty to be structural") }
        if node.property("metadata") != nil {
            errors.append(FieldError(.forbidden, field: path.child("properties").key("metadata").description, detail: "must not be specified in a nested context"))
        }
        return errors
    }

    static func typeErrors(_ node: SchemaNode, level: Level, at path: FieldPath) -> [FieldError] {
        let typePath = path.child("type").description
        let embeddedMessage = "must be object if x-kubernetes-embedded-resource is true"
        var errors: [FieldError] = []
        if node.embeddedResource && node.type != "object" {
            if let type = node.type {
                errors.append(FieldError(.invalid, field: typePath, value: .string(type), detail: embeddedMessage))
            } else {
                errors.append(FieldError(.required, field: typePath, detail: embeddedMessage))
            }
        } else if node.type == nil && !node.intOrString && !node.preserveUnknownFields {
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
        let checkMetadata = level == .root || node.embeddedResource
        var errors: [FieldError] = []
        let props = path.child("properties")
        for (key, expected) in [("kind", "string"), ("apiVersion", "string"), ("metadata", "object")] where checkMetadata {
            guard let prop = node.property(key), prop.type != expected else { continue }
            errors.append(FieldError(.invalid, field: props.key(key).child("type").description, value: .string(prop.type ?? ""), detail: "must be \(expected)"))
        }
        guard level == .root, var meta = node.property("metadata")?.object else { return errors }
        if let metaProps = meta["properties"]?.objectValue,
           metaProps.keys.allSatisfy({ $0 == "name" || $0 == "generateName" }) {
            meta.removeValue(forKey: "properties")
        }
        for key in ["type", "default"] { meta.removeValue(forKey: key) }
        for (key, value) in meta where value == false || value == .null || value == "" { meta.removeValue(forKey: key) }
        if !meta.isEmpty {
            errors.append(FieldError(.forbidden, field: props.key("metadata").description,
                                     detail: "must not specify anything other than name and generateName, but metadata is implicitly specified"))
        }
        return errors
    }
}
