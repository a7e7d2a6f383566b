import KubeAPI

/// Drops the fields a structural schema does not declare, as the API server prunes custom
/// resources before validation, and lists them for `fieldValidation=Strict|Warn`.
///
/// Kept: root `apiVersion`/`kind`/`metadata` (metadata reduced to ObjectMeta's fields),
/// everything under `x-kubernetes-preserve-unknown-fields: true` (known properties are
/// still pruned inside), map entries under `additionalProperties`, and `apiVersion`/`kind`/
/// `metadata` of `x-kubernetes-embedded-resource` objects.
public struct SchemaPruner: Sendable {
    public var schema: SchemaNode

    public init(schema: SchemaNode) { self.schema = schema }

    /// A pruner for a `openAPIV3Schema`; nil if the schema is not an object.
    public init?(schema: JSONValue) {
        guard let node = SchemaNode(schema) else { return nil }
        self.schema = node
    }

    /// The result of pruning: the object without undeclared fields, and their paths
    /// (`spec.colour`, `spec.items[0].foo`, `metadata.bogus`) in name order.
    public struct Result: Sendable, Hashable {
        public var object: JSONValue
        public var unknownFields: [String]
    }

    /// Prunes a whole custom resource.
    public func prune(_ object: JSONValue) -> Result {
        var unknown: [String] = []
        guard case .object(var root) = object else { return Result(object: object, unknownFields: []) }
        let meta = root["metadata"]
        for key in ["apiVersion", "kind", "metadata"] { root.removeValue(forKey: key) }
        var pruned = prune(.object(root), node: schema, path: FieldPath(), unknown: &unknown).objectValue ?? JSONObject()
        var result = JSONObject()
        for key in ["apiVersion", "kind"] { if let v = object[key] { result[key] = v } }
        if let meta { result["metadata"] = Self.pruneObjectMeta(meta, path: FieldPath("metadata"), unknown: &unknown) }
        for (key, value) in pruned { result[key] = value }
        pruned = result
        return Result(object: .object(pruned), unknownFields: unknown.sorted())
    }

    func prune(_ value: JSONValue, node: SchemaNode, path: FieldPath, unknown: inout [String]) -> JSONValue {
        switch value {
        case .array(let items):
            // Without an items schema (an array where the schema wants something else)
            // nothing inside is declared: objects in it are emptied.
            if node.items == nil && node.preserveUnknownFields { return value }
            let itemSchema = node.items ?? SchemaNode([:])
            return .array(items.enumerated().map { prune($1, node: itemSchema, path: path.index($0), unknown: &unknown) })
        case .object(let o):
            return .object(pruneObject(o, node: node, path: path, unknown: &unknown))
        default:
            return value
        }
    }

    func pruneObject(_ o: JSONObject, node: SchemaNode, path: FieldPath, unknown: inout [String]) -> JSONObject {
        var out = JSONObject()
        for (key, value) in o {
            let child = path.child(key)
            if let propSchema = node.property(key) {
                out[key] = prune(value, node: propSchema, path: child, unknown: &unknown)
            } else if node.embeddedResource && key == "metadata" {
                out[key] = Self.pruneObjectMeta(value, path: child, unknown: &unknown)
            } else if node.embeddedResource && (key == "apiVersion" || key == "kind") {
                out[key] = value
            } else if let extra = node.additionalPropertiesSchema {
                out[key] = prune(value, node: extra, path: child, unknown: &unknown)
            } else if node.preserveUnknownFields || node.additionalProperties == .allowed(true) {
                out[key] = value
            } else {
                unknown.append(child.description)
            }
        }
        return out
    }

    /// The fields of `metadata` (ObjectMeta) the server keeps.
    public static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    ]

    static func pruneObjectMeta(_ meta: JSONValue, path: FieldPath, unknown: inout [String]) -> JSONValue {
        guard case .object(let o) = meta else { return meta }
        var out = JSONObject()
        for (key, value) in o {
            if objectMetaFields.contains(key) { out[key] = value } else { unknown.append(path.child(key).description) }
        }
        return .object(out)
    }

    // MARK: - What the server answers for unknown fields

    /// The `400 BadRequest` of `fieldValidation=Strict`:
    /// `Gadget in version "v1" cannot be handled as a Gadget: strict decoding error: unknown field "spec.colour"`.
    public static func strictError(kind: String, version: String, unknownFields: [String], duplicateFields: [String] = []) -> Status {
        let list = (duplicateFields.map { "duplicate field \(FieldError.quote($0))" } + unknownFields.map { "unknown field \(FieldError.quote($0))" })
            .joined(separator: ", ")
        return Status(
            code: 400, reason: "BadRequest",
            message: "\(kind) in version \(FieldError.quote(version)) cannot be handled as a \(kind): strict decoding error: \(list)")
    }

    /// The texts of the `Warning` headers of `fieldValidation=Warn` (or none given):
    /// `duplicate field "spec.size"`, `unknown field "spec.colour"` (sent as
    /// `299 - "unknown field \"spec.colour\""`).
    public static func warnings(unknownFields: [String], duplicateFields: [String] = []) -> [String] {
        duplicateFields.map { "duplicate field \(FieldError.quote($0))" } + unknownFields.map { "unknown field \(FieldError.quote($0))" }
    }
}
