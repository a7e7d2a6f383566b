import KubeAPI

/// A read-only view of one node of an OpenAPI v3 (structural) schema, as found in a CRD
/// version's `schema.openAPIV3Schema`. Missing or malformed keywords read as absent.
public struct SchemaNode: Sendable, Hashable {
    public var object: JSONObject

    public init(_ object: JSONObject) { self.object = object }

    /// A node from a JSON value; nil unless the value is an object.
    public init?(_ value: JSONValue?) {
        guard let o = value?.objectValue else { return nil }
        self.object = o
    }

    /// `type`: object, array, string, integer, number or boolean; nil when unset.
    public var type: String? { object["type"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
    public var format: String? { object["format"]?.stringValue }
    public var properties: [(name: String, schema: SchemaNode)] {
        guard let props = object["properties"]?.objectValue else { return [] }
        return props.compactMap { key, value in SchemaNode(value).map { (key, $0) } }
    }
    /// The schema of the named property.
    public func property(_ name: String) -> SchemaNode? { SchemaNode(object["properties"]?[name]) }
    public var hasProperties: Bool { !(object["properties"]?.objectValue?.isEmpty ?? true) }
    public var items: SchemaNode? { SchemaNode(object["items"]) }
    public var required: [String] { object["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    public var enumValues: [JSONValue]? { object["enum"]?.arrayValue }
    public var defaultValue: JSONValue? { object["default"] }
    public var pattern: String? { object["pattern"]?.stringValue }
    public var nullable: Bool { flag("nullable") }
    public var uniqueItems: Bool { flag("uniqueItems") }
    public var minimum: Double? { number("minimum") }
    public var maximum: Double? { number("maximum") }
    public var exclusiveMinimum: Bool { flag("exclusiveMinimum") }
    public var exclusiveMaximum: Bool { flag("exclusiveMaximum") }
    public var multipleOf: Double? { number("multipleOf") }
    public var minLength: Int? { integer("minLength") }
    public var maxLength: Int? { integer("maxLength") }
    public var minItems: Int? { integer("minItems") }
    public var maxItems: Int? { integer("maxItems") }
    public var minProperties: Int? { integer("minProperties") }
    public var maxProperties: Int? { integer("maxProperties") }

    public var intOrString: Bool { flag("x-kubernetes-int-or-string") }
    public var preserveUnknownFields: Bool { flag("x-kubernetes-preserve-unknown-fields") }
    public var embeddedResource: Bool { flag("x-kubernetes-embedded-resource") }
    /// `x-kubernetes-list-type` (`atomic`, `set`, `map`); nil when unset.
    public var listType: String? { object["x-kubernetes-list-type"]?.stringValue }
    public var listMapKeys: [String] { object["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// `additionalProperties`, which is either a boolean or a schema.
    public enum AdditionalProperties: Sendable, Hashable {
        case allowed(Bool)
        case schema(SchemaNode)
    }

    /// nil when `additionalProperties` is not specified.
    public var additionalProperties: AdditionalProperties? {
        switch object["additionalProperties"] {
        case .bool(let b)?: .allowed(b)
        case .object(let o)?: .schema(SchemaNode(o))
        default: nil
        }
    }

    /// The schema of `additionalProperties` when it is a schema.
    public var additionalPropertiesSchema: SchemaNode? {
        if case .schema(let s)? = additionalProperties { return s }
        return nil
    }

    func flag(_ key: String) -> Bool { object[key]?.boolValue ?? false }
    func number(_ key: String) -> Double? { object[key]?.numberValue?.double }
    func integer(_ key: String) -> Int? { object[key]?.numberValue?.int }
    /// The keyword's number as written in the schema (for messages).
    func numberText(_ key: String) -> String {
        object[key]?.numberValue.map(FieldError.formatNumber) ?? ""
    }
}

/// The JSON type names Go's OpenAPI validator reports for decoded values.
enum JSONKind {
    /// `string`, `integer` (a JSON number without fraction or exponent), `number`,
    /// `boolean`, `object`, `array` or `null`.
    static func of(_ value: JSONValue) -> String {
        switch value {
        case .string: "string"
        case .bool: "boolean"
        case .null: "null"
        case .object: "object"
        case .array: "array"
        case .number(let n): isInteger(n) ? "integer" : "number"
        }
    }

    static func isInteger(_ n: JSONNumber) -> Bool {
        !n.text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) && n.int64 != nil
    }
}
