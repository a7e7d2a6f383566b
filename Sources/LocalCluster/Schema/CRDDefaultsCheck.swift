import KubeAPI

/// apiextensions-apiserver's check of the `default`s in a structural schema
/// (`defaulting.ValidateDefaults`): every default outside object metadata must survive
/// pruning unchanged, be a valid embedded resource where the schema says so (the schema
/// root counts as one), and pass its own schema's validation. Defaults are reported at
/// `….default`, the errors inside them relative to it (`….default.[0].port`).
///
/// Not done: the CEL rules of a node are not evaluated on its default (the real server
/// does; a default that breaks a rule of its own node is accepted here).
public enum CRDDefaultsCheck {
    public static func validate(_ root: SchemaNode, at path: FieldPath) -> [FieldError] {
        var resource = root
        resource.object["x-kubernetes-embedded-resource"] = true
        return walk(resource, at: path, insideMeta: false)
    }

    static func walk(_ node: SchemaNode, at path: FieldPath, insideMeta: Bool) -> [FieldError] {
        let insideMeta = insideMeta && !node.embeddedResource
        var errors: [FieldError] = []
        if let value = node.defaultValue, !value.isNull, !insideMeta {
            errors += check(value, against: node, at: path.child("default"))
        }
        if let items = node.items { errors += walk(items, at: path.child("items"), insideMeta: insideMeta) }
        for (name, property) in node.properties.sorted(by: { $0.name < $1.name }) {
            let meta = insideMeta || (node.embeddedResource && ["metadata", "apiVersion", "kind"].contains(name))
            errors += walk(property, at: path.child("properties").key(name), insideMeta: meta)
        }
        return errors
    }

    static func check(_ value: JSONValue, against node: SchemaNode, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var unknown: [String] = []
        if SchemaPruner(schema: node).prune(value, node: node, path: FieldPath(), unknown: &unknown) != value {
            errors.append(FieldError(.invalid, field: path.description, value: value, detail: "must not have unknown fields"))
        }
        let resourceErrors = embeddedResourceErrors(value, node, at: path)
        if !resourceErrors.isEmpty { return errors + resourceErrors }
        let schemaErrors = SchemaValidator(schema: node).validate(value, against: node, at: FieldPath()).map { error in
            var e = error
            if e.field.isEmpty { e.field = path.description } else if e.field != "<nil>" { e.field = path.description + "." + e.field }
            return e
        }
        return errors + schemaErrors
    }

    /// `objectmeta.Validate`: objects of embedded-resource nodes need `apiVersion` and `kind`.
    static func embeddedResourceErrors(_ value: JSONValue, _ node: SchemaNode, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        switch value {
        case .object(let o):
            if node.embeddedResource {
                for key in ["apiVersion", "kind"] {
                    switch o[key] {
                    case nil: errors.append(FieldError(.required, field: path.child(key).description))
                    case .string(let s)? where s.isEmpty: errors.append(FieldError(.invalid, field: path.child(key).description, value: "", detail: "must not be empty"))
                    case .string?: break
                    case let v?: errors.append(FieldError(.invalid, field: path.child(key).description, value: v, detail: "must be a string"))
                    }
                }
            }
            for (key, child) in o {
                if let property = node.property(key) {
                    errors += embeddedResourceErrors(child, property, at: path.child(key))
                } else if let extra = node.additionalPropertiesSchema {
                    errors += embeddedResourceErrors(child, extra, at: path.key(key))
                }
            }
        case .array(let items):
            guard let itemSchema = node.items else { break }
            for (i, item) in items.enumerated() { errors += embeddedResourceErrors(item, itemSchema, at: path.index(i)) }
        default: break
        }
        return errors
    }
}
