import KubeAPI

/// Validates custom resources against a CRD version's structural schema, with the field
/// paths and messages of the real API server (which uses kube-openapi's validator and turns
/// its errors into `field.Error`s).
///
/// The checks of one value run in the server's order: type, string keywords (maxLength,
/// minLength, pattern), format, number keywords (multipleOf, maximum, minimum), array
/// keywords (items, minItems, maxItems, uniqueItems), enum, then object keywords
/// (additionalProperties, properties, required). Properties are visited in name order: the
/// real server iterates a Go map, so its order is a random rotation of this one.
public struct SchemaValidator: Sendable {
    public var schema: SchemaNode

    /// A validator for a `openAPIV3Schema`; nil if the schema is not an object.
    public init?(schema: JSONValue) {
        guard let node = SchemaNode(schema) else { return nil }
        self.schema = node
    }

    public init(schema: SchemaNode) { self.schema = schema }

    /// Validates a whole custom resource. `apiVersion`, `kind` and `metadata` at the root are
    /// left to the server's object-meta checks.
    public func validate(_ object: JSONValue) -> [FieldError] {
        guard case .object(var root) = object else {
            return validate(object, against: schema, at: FieldPath())
        }
        for key in ["apiVersion", "kind", "metadata"] { _ = root.removeValue(forKey: key) }
        var rootSchema = schema
        if var props = rootSchema.object["properties"]?.objectValue {
            for key in ["apiVersion", "kind", "metadata"] { _ = props.removeValue(forKey: key) }
            rootSchema.object["properties"] = .object(props)
        }
        return validate(.object(root), against: rootSchema, at: FieldPath())
    }

    /// Validates one value against one schema node at `path`.
    public func validate(_ value: JSONValue, against node: SchemaNode, at path: FieldPath) -> [FieldError] {
        if value.isNull {
            if node.nullable || node.type == nil { return [] }
            return [typeError(path, expected: node.type ?? "", actual: "null")]
        }
        var errors: [FieldError] = []
        if node.intOrString && node.type == nil {
            errors += intOrString(value, at: path)
        } else if let type = node.type, !Self.matches(value, type: type) {
            errors.append(typeError(path, expected: type, actual: JSONKind.of(value)))
        }
        switch value {
        case .string(let s):
            errors += stringChecks(s, node, path)
            errors += formatCheck(s, node, path)
        case .number(let n):
            errors += integerFormatCheck(n, node, path)
            errors += numberChecks(n, node, path)
        case .array(let items):
            errors += arrayChecks(items, node, path)
        default: break
        }
        errors += enumCheck(value, node, path)
        if case .object(let o) = value { errors += objectChecks(o, node, path) }
        return errors
    }

    /// Whether a value is of a schema type (an integral float counts as an integer, an
    /// integer as a number).
    static func matches(_ value: JSONValue, type: String) -> Bool {
        let actual = JSONKind.of(value)
        if actual == type { return true }
        if type == "number" && actual == "integer" { return true }
        if type == "integer", case .number(let n) = value, let d = n.double { return isJSONInteger(d) }
        return false
    }

    /// A float the validator takes for an integer: integral and within ±2⁵³.
    static func isJSONInteger(_ d: Double) -> Bool {
        d.isFinite && d == d.rounded() && abs(d) <= 9_007_199_254_740_992
    }

    /// The integer formats: an `integer` must decode as an int64 (`int32`: fit 32 bits).
    /// A failure is a `<nil>` cause naming the field, as the server's format validator's.
    func integerFormatCheck(_ n: JSONNumber, _ node: SchemaNode, _ path: FieldPath) -> [FieldError] {
        guard node.type == "integer" else { return [] }
        let integer: Int64? = n.int64 ?? n.double.flatMap { Self.isJSONInteger($0) ? Int64(exactly: $0) : nil }
        let format = node.format ?? ""
        if format == "int32" {
            if let i = integer, Int64(Int32.min)...Int64(Int32.max) ~= i { return [] }
            return [FieldError(.invalid, field: "<nil>", value: .string(""), detail: "Checked value must be of type integer with format int32 in \(path)")]
        }
        if integer != nil { return [] }
        return [FieldError(.invalid, field: "<nil>", value: .string(""), detail: "Checked value must be of type integer (default format) in \(path)")]
    }

    func typeError(_ path: FieldPath, expected: String, actual: String) -> FieldError {
        FieldError(.typeInvalid, field: path.description, value: .string(actual),
                   detail: "\(path) in body must be of type \(expected): \(FieldError.quote(actual))")
    }

    /// x-kubernetes-int-or-string without a type: the server validates `anyOf: [integer, string]`.
    func intOrString(_ value: JSONValue, at path: FieldPath) -> [FieldError] {
        if case .string = value { return [] }
        if Self.matches(value, type: "integer") { return [] }
        return [
            FieldError(.invalid, field: "<nil>", value: .string(""), detail: "\(path) in body must validate at least one schema (anyOf)"),
            typeError(path, expected: "integer", actual: JSONKind.of(value)),
        ]
    }

    func enumCheck(_ value: JSONValue, _ node: SchemaNode, _ path: FieldPath) -> [FieldError] {
        guard let allowed = node.enumValues, !allowed.isEmpty else { return [] }
        if allowed.contains(where: { Self.equal($0, value) }) { return [] }
        let supported = allowed.map { v in FieldError.quote(v.stringValue ?? JSON.string(v)) }
        return [FieldError(.notSupported, field: path.description, value: value, detail: "supported values: " + supported.joined(separator: ", "))]
    }

    /// JSON equality with numbers compared by value (`1` equals `1.0`).
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x.double == y.double
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, v in y[key].map { equal(v, $0) } ?? false }
        default: return a == b
        }
    }
}
