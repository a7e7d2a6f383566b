import KubeAPI

/// A node of a structural OpenAPI v3 schema, as a CustomResourceDefinition version carries
/// it in `schema.openAPIV3Schema`.
///
/// Built with the static constructors and refined with the modifiers, then rendered with
/// ``json``:
///
/// ```swift
/// let schema: OpenAPISchema = .object([
///     "arraySize": .integer(minimum: 1, maximum: 100_000, default: 1).describe("Number of indexes."),
///     "queue": .string(maxLength: 63),
/// ], required: ["arraySize"])
/// ```
///
/// Every node is structural: it has a `type` (or `x-kubernetes-int-or-string`), objects list
/// their properties, arrays their items. Keys are rendered in a stable order.
public struct OpenAPISchema: Sendable, Hashable {
    /// The schema's keywords as JSON.
    public private(set) var keywords: JSONObject

    /// A node with exactly these keywords.
    public init(keywords: JSONObject) { self.keywords = keywords }

    /// The OpenAPI v3 JSON of this node.
    public var json: JSONValue { .object(keywords) }

    // MARK: - Constructors

    /// An object with named properties; `required` lists the properties that must be present.
    public static func object(_ properties: KeyValuePairs<String, OpenAPISchema>, required: [String] = []) -> OpenAPISchema {
        object(properties.map { ($0.key, $0.value) }, required: required)
    }

    /// An object with properties built at run time, in order.
    public static func object(_ properties: [(String, OpenAPISchema)], required: [String] = []) -> OpenAPISchema {
        var props = JSONObject()
        for (name, schema) in properties { props[name] = schema.json }
        var node = OpenAPISchema(keywords: ["type": "object", "properties": .object(props)])
        if !required.isEmpty { node.keywords["required"] = .array(required.map(JSONValue.string)) }
        return node
    }

    /// A string, optionally restricted to `values`, a regular expression and a length.
    public static func string(enum values: [String] = [], pattern: String? = nil, maxLength: Int? = nil) -> OpenAPISchema {
        var node = OpenAPISchema(keywords: ["type": "string"])
        if !values.isEmpty { node.keywords["enum"] = .array(values.map(JSONValue.string)) }
        if let pattern { node.keywords["pattern"] = .string(pattern) }
        if let maxLength { node.keywords["maxLength"] = .number(JSONNumber(maxLength)) }
        return node
    }

    /// A string that must be one of a Swift enum's raw values, in declaration order.
    public static func string<E: RawRepresentable & CaseIterable>(enumOf type: E.Type) -> OpenAPISchema where E.RawValue == String {
        string(enum: type.allCases.map(\.rawValue))
    }

    /// A 64-bit integer with optional bounds and default.
    public static func integer(minimum: Int? = nil, maximum: Int? = nil, default value: Int? = nil) -> OpenAPISchema {
        var node = OpenAPISchema(keywords: ["type": "integer", "format": "int64"])
        if let minimum { node.keywords["minimum"] = .number(JSONNumber(minimum)) }
        if let maximum { node.keywords["maximum"] = .number(JSONNumber(maximum)) }
        if let value { node.keywords["default"] = .number(JSONNumber(value)) }
        return node
    }

    /// A number (integer or decimal) with optional bounds and default.
    public static func number(minimum: Double? = nil, maximum: Double? = nil, default value: Double? = nil) -> OpenAPISchema {
        var node = OpenAPISchema(keywords: ["type": "number"])
        if let minimum { node.keywords["minimum"] = .number(JSONNumber(minimum)) }
        if let maximum { node.keywords["maximum"] = .number(JSONNumber(maximum)) }
        if let value { node.keywords["default"] = .number(JSONNumber(value)) }
        return node
    }

    /// A boolean, with an optional default.
    public static func boolean(default value: Bool? = nil) -> OpenAPISchema {
        var node = OpenAPISchema(keywords: ["type": "boolean"])
        if let value { node.keywords["default"] = .bool(value) }
        return node
    }

    /// A list of `items`, with an optional upper bound on its length.
    public static func array(_ items: OpenAPISchema, maxItems: Int? = nil) -> OpenAPISchema {
        var node = OpenAPISchema(keywords: ["type": "array", "items": items.json])
        if let maxItems { node.keywords["maxItems"] = .number(JSONNumber(maxItems)) }
        return node
    }

    /// A map from arbitrary string keys to `values`.
    public static func map(_ values: OpenAPISchema) -> OpenAPISchema {
        OpenAPISchema(keywords: ["type": "object", "additionalProperties": values.json])
    }

    /// A timestamp (RFC 3339 `date-time`).
    public static var dateTime: OpenAPISchema { OpenAPISchema(keywords: ["type": "string", "format": "date-time"]) }
}

// MARK: - Modifiers

extension OpenAPISchema {
    /// This node with a human-readable `description` (shown by `kubectl explain`).
    public func describe(_ text: String) -> OpenAPISchema { with("description", .string(text)) }

    /// This node with a `default` the API server fills in when the field is absent.
    public func defaulting(_ value: JSONValue) -> OpenAPISchema { with("default", value) }

    /// This node with CEL rules the API server checks on every write
    /// (`x-kubernetes-validations`, GA since Kubernetes 1.29): `kubectl apply` of a spec that
    /// breaks one is refused with the rule's message, naming `fieldPath`.
    public func validated(_ rules: [ValidationRule]) -> OpenAPISchema {
        with("x-kubernetes-validations", .array(rules.map(\.json)))
    }

    /// This node with one more keyword (or a replaced one).
    public func with(_ keyword: String, _ value: JSONValue) -> OpenAPISchema {
        var copy = self
        copy.keywords[keyword] = value
        return copy
    }
}

/// One `x-kubernetes-validations` entry: a CEL expression over `self` that must be true.
public struct ValidationRule: Sendable, Hashable {
    public var rule: String
    public var message: String
    /// The field the error names, relative to the node (`.maxExecutors`).
    public var fieldPath: String?

    public init(_ rule: String, message: String, fieldPath: String? = nil) {
        self.rule = rule
        self.message = message
        self.fieldPath = fieldPath
    }

    public var json: JSONValue {
        var entry: JSONValue = ["rule": .string(rule), "message": .string(message)]
        if let fieldPath { entry["fieldPath"] = .string(fieldPath) }
        return entry
    }
}
