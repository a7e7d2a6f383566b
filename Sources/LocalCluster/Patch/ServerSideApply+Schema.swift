import KubeAPI

/// How server-side apply walks a value: which maps are separable, which lists merge by key.
public indirect enum ApplySchema: Sendable, Hashable {
    /// An object whose fields are owned one by one; fields not listed use `others`
    /// (a plain object when nil).
    case structure([String: ApplySchema], others: ApplySchema?)
    /// A value of unknown type (under `x-kubernetes-preserve-unknown-fields`): objects are
    /// owned as a whole and field by field, lists are atomic.
    case deduced
    /// A list of objects identified by `keys` (`x-kubernetes-list-type: map`). A key field an
    /// item leaves out takes its schema default (`protocol` of ports is `TCP`), as
    /// structured-merge-diff does, so an applied port without `protocol` is the live `TCP` one.
    case mapList(keys: [String], item: ApplySchema, keyDefaults: [String: JSONValue] = [:])
    /// A list of scalars owned member by member (`x-kubernetes-list-type: set`).
    case set
    /// Owned and replaced as a whole.
    case atomic

    /// An object with no special fields.
    public static let plain = ApplySchema.structure([:], others: nil)

    /// Whether objects of this schema are maps (owned as a whole besides their entries),
    /// rather than structs (owned through their fields only).
    var isMap: Bool {
        switch self {
        case .structure(_, let others): others != nil
        case .deduced: true
        default: false
        }
    }

    /// The schema of member `name` of an object with this schema.
    func field(_ name: String) -> ApplySchema {
        switch self {
        case .structure(let fields, let others): return fields[name] ?? others ?? .plain
        case .deduced: return .deduced
        default: return .plain
        }
    }

    /// The apply schema of a built-in kind, from its strategic-merge-patch schema.
    public init(_ patch: PatchSchema) {
        switch patch {
        case .object(let fields): self = .structure(fields.mapValues(ApplySchema.init), others: nil)
        case .mergeList(let key, let item): self = .mapList(keys: [key], item: ApplySchema(item))
        case .primitiveSet: self = .set
        case .atomic: self = .atomic
        }
    }

    /// The apply schema of a custom resource, from its structural OpenAPI v3 schema.
    /// `metadata` always uses the `ObjectMeta` rules.
    public static func custom(_ openAPI: JSONValue?) -> ApplySchema {
        guard case .structure(var fields, let others) = ApplySchema(openAPI: openAPI ?? .object([:])) else { return .plain }
        fields["metadata"] = ApplySchema(PatchSchema.objectMeta)
        return .structure(fields, others: others)
    }

    /// Converts one node of an OpenAPI v3 schema.
    init(openAPI node: JSONValue) {
        if node["x-kubernetes-map-type"]?.stringValue == "atomic" { self = .atomic; return }
        if node["type"]?.stringValue == "array" {
            switch node["x-kubernetes-list-type"]?.stringValue {
            case "map":
                let keys = node["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let items = node["items"] ?? .object([:])
                var defaults: [String: JSONValue] = [:]
                for key in keys { defaults[key] = items["properties"]?[key]?["default"] }
                self = keys.isEmpty ? .atomic : .mapList(keys: keys, item: ApplySchema(openAPI: items), keyDefaults: defaults)
            case "set": self = .set
            default: self = .atomic
            }
            return
        }
        let properties = node["properties"]?.objectValue ?? JSONObject()
        var fields: [String: ApplySchema] = [:]
        for (name, child) in properties { fields[name] = ApplySchema(openAPI: child) }
        var others: ApplySchema?
        if let additional = node["additionalProperties"], additional.objectValue != nil { others = ApplySchema(openAPI: additional) }
        if node["x-kubernetes-preserve-unknown-fields"]?.boolValue == true { others = .deduced }
        self = .structure(fields, others: others)
    }
}
