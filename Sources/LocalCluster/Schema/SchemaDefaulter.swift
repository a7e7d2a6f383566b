import KubeAPI

/// Applies a structural schema's `default`s to a (pruned) custom resource, as the API server
/// does on create, update, patch and when reading from storage:
///
/// - a property that is missing, or null while not `nullable`, gets a copy of its default;
/// - defaults are applied recursively, also inside values that were just defaulted, inside
///   array items and inside `additionalProperties` map values;
/// - a null property that is not `nullable` and has no default is dropped (the server's
///   `PruneNonNullableNullsWithoutDefaults`).
///
/// Defaulted keys are appended after the object's existing keys.
public struct SchemaDefaulter: Sendable {
    public var schema: SchemaNode

    public init(schema: SchemaNode) { self.schema = schema }

    /// A defaulter for a `openAPIV3Schema`; nil if the schema is not an object.
    public init?(schema: JSONValue) {
        guard let node = SchemaNode(schema) else { return nil }
        self.schema = node
    }

    /// Returns `object` with defaults applied. Root `apiVersion`, `kind` and `metadata` are
    /// left alone.
    public func apply(_ object: JSONValue) -> JSONValue {
        var root = schema
        if var props = root.object["properties"]?.objectValue {
            for key in ["apiVersion", "kind", "metadata"] { props.removeValue(forKey: key) }
            root.object["properties"] = .object(props)
        }
        return Self.apply(object, node: root)
    }

    static func apply(_ value: JSONValue, node: SchemaNode) -> JSONValue {
        switch value {
        case .array(let items):
            guard let itemSchema = node.items else { return value }
            return .array(items.map { apply($0, node: itemSchema) })
        case .object(let o):
            return .object(applyObject(o, node: node))
        default:
            return value
        }
    }

    static func applyObject(_ input: JSONObject, node: SchemaNode) -> JSONObject {
        var o = input
        for (name, prop) in node.properties {
            guard let def = prop.defaultValue else { continue }
            if o[name] == nil || (o[name]?.isNull == true && !prop.nullable) { o[name] = def }
        }
        var out = JSONObject()
        for (key, value) in o {
            if let prop = node.property(key) {
                if value.isNull && !prop.nullable { continue }
                out[key] = apply(value, node: prop)
            } else if let extra = node.additionalPropertiesSchema {
                out[key] = apply(value, node: extra)
            } else {
                out[key] = value
            }
        }
        return out
    }
}

/// The server's handling of a custom resource's body against its schema, in its order:
/// prune unknown fields, apply defaults, validate.
public struct SchemaPipeline: Sendable {
    public var schema: SchemaNode

    public init(schema: SchemaNode) { self.schema = schema }

    /// nil if the schema is not an object.
    public init?(schema: JSONValue) {
        guard let node = SchemaNode(schema) else { return nil }
        self.schema = node
    }

    /// The object as it would be stored, the fields pruned from it, and the validation errors
    /// (non-empty means `422 Invalid`).
    public struct Outcome: Sendable, Hashable {
        public var object: JSONValue
        public var unknownFields: [String]
        public var errors: [FieldError]
    }

    /// Prunes, defaults and validates a custom resource.
    /// `validate: false` leaves validation to the caller (``CustomResourceValidation``).
    public func process(_ object: JSONValue, validate: Bool = true) -> Outcome {
        let pruned = SchemaPruner(schema: schema).prune(object)
        let defaulted = SchemaDefaulter(schema: schema).apply(pruned.object)
        let errors = validate ? SchemaValidator(schema: schema).validate(defaulted) : []
        return Outcome(object: defaulted, unknownFields: pruned.unknownFields, errors: errors)
    }
}
