import KubeAPI

/// A CustomResourceDefinition (`apiextensions.k8s.io/v1`) read from its JSON, as kubectl
/// sends it: what the server needs to serve its resources, validate the CRD itself and write
/// its status. Parsing is lenient (missing fields read as empty); `validate()` reports what
/// the real server would refuse (``CRDValidation``).
public struct CRDDefinition: Sendable, Hashable {
    /// One entry of `spec.versions`.
    public struct Version: Sendable, Hashable {
        public var name: String
        public var served: Bool
        public var storage: Bool
        /// `schema.openAPIV3Schema`, nil when absent.
        public var schema: JSONValue?
        public var hasStatusSubresource: Bool
        public var hasScaleSubresource: Bool
        public var printerColumns: [PrinterColumn]
        /// `selectableFields` as field selector labels (`spec.color` for `.spec.color`).
        public var selectableFields: [String] = []
    }

    /// `metadata.name`.
    public var name: String
    public var group: String
    /// `Namespaced` or `Cluster` (anything else is refused by `validate()`).
    public var scope: String
    public var kind: String
    public var listKind: String
    public var plural: String
    public var singular: String
    public var shortNames: [String]
    public var categories: [String]
    public var versions: [Version]
    /// `status.storedVersions` of the object (empty for a new CRD).
    public var storedVersions: [String]
    /// The object as read, which `validate()` checks.
    public var raw: JSONValue

    /// Reads a CRD object. Applies the server's defaults for `singular` (lower-case kind) and
    /// `listKind` (`<kind>List`).
    public init(_ crd: JSONValue) {
        let spec = crd["spec"]
        let names = spec?["names"]
        name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        group = spec?["group"]?.stringValue ?? ""
        scope = spec?["scope"]?.stringValue ?? ""
        kind = names?["kind"]?.stringValue ?? ""
        plural = names?["plural"]?.stringValue ?? ""
        singular = names?["singular"]?.stringValue ?? kind.lowercased()
        listKind = names?["listKind"]?.stringValue ?? (kind.isEmpty ? "" : kind + "List")
        shortNames = names?["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
        categories = names?["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []
        versions = (spec?["versions"]?.arrayValue ?? []).map(Self.version)
        storedVersions = crd[path: ["status", "storedVersions"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        raw = crd
    }

    static func version(_ v: JSONValue) -> Version {
        let columns = (v["additionalPrinterColumns"]?.arrayValue ?? []).map { c in
            PrinterColumn(
                name: c["name"]?.stringValue ?? "", type: c["type"]?.stringValue ?? "",
                format: c["format"]?.stringValue ?? "", description: c["description"]?.stringValue ?? "",
                priority: c["priority"]?.numberValue?.int ?? 0, jsonPath: c["jsonPath"]?.stringValue ?? "")
        }
        return Version(
            name: v["name"]?.stringValue ?? "", served: v["served"]?.boolValue ?? false,
            storage: v["storage"]?.boolValue ?? false, schema: v[path: ["schema", "openAPIV3Schema"]],
            hasStatusSubresource: v[path: ["subresources", "status"]] != nil,
            hasScaleSubresource: v[path: ["subresources", "scale"]] != nil, printerColumns: columns,
            selectableFields: (v["selectableFields"]?.arrayValue ?? []).compactMap { $0["jsonPath"]?.stringValue.map { String($0.drop { $0 == "." }) } })
    }

    /// The storage version's name, if exactly one version is marked `storage: true`.
    public var storageVersion: String? {
        let storage = versions.filter(\.storage)
        return storage.count == 1 ? storage[0].name : nil
    }

    /// One `ServedResource` per served version, in `spec.versions` order.
    public var servedResources: [ServedResource] {
        versions.filter(\.served).map { v in
            let resource = APIResource(group: group, version: v.name, kind: kind, plural: plural, namespaced: scope != "Cluster")
            var subresources: [String] = []
            if v.hasStatusSubresource { subresources.append("status") }
            if v.hasScaleSubresource { subresources.append("scale") }
            return ServedResource(
                type: ResourceType(resource, hasStatusSubresource: v.hasStatusSubresource, isCustom: true),
                singular: singular, shortNames: shortNames, categories: categories,
                subresources: subresources, printerColumns: v.printerColumns, schema: v.schema, crdName: name,
                selectableFields: v.selectableFields)
        }
    }

    /// The CRD with the server's spec defaults filled in, as a create answers it:
    /// `names.singular`, `names.listKind`, `conversion.strategy: None`.
    public static func applyingDefaults(to crd: JSONValue) -> JSONValue {
        var out = crd
        guard var spec = crd["spec"]?.objectValue else { return crd }
        let parsed = CRDDefinition(crd)
        if var names = spec["names"]?.objectValue {
            if names["singular"] == nil, !parsed.singular.isEmpty { names["singular"] = .string(parsed.singular) }
            if names["listKind"] == nil, !parsed.listKind.isEmpty { names["listKind"] = .string(parsed.listKind) }
            spec["names"] = .object(names)
        }
        if spec["conversion"] == nil { spec["conversion"] = ["strategy": "None"] }
        if let versions = spec["versions"]?.arrayValue {
            spec["versions"] = .array(versions.map { v in
                var v = v
                if let schema = v["schema"]?["openAPIV3Schema"] { v["schema"]?["openAPIV3Schema"] = droppingNullKeywords(schema) }
                return v
            })
        }
        out["spec"] = .object(spec)
        return out
    }

    /// A schema as Go's decoder leaves it: keywords given as `null` (`default: null`) read
    /// as unset and are not written back. Values inside `default`, `enum` and `example` stay.
    static func droppingNullKeywords(_ schema: JSONValue) -> JSONValue {
        guard case .object(let node) = schema else { return schema }
        var out = JSONObject()
        for (key, value) in node where !value.isNull {
            switch key {
            case "properties", "definitions", "patternProperties", "dependencies":
                guard case .object(let children) = value else { out[key] = value; continue }
                var mapped = JSONObject()
                for (name, child) in children { mapped[name] = droppingNullKeywords(child) }
                out[key] = .object(mapped)
            case "items", "additionalProperties", "additionalItems", "not", "allOf", "anyOf", "oneOf":
                if case .array(let list) = value { out[key] = .array(list.map(droppingNullKeywords)) } else { out[key] = droppingNullKeywords(value) }
            default:
                out[key] = value
            }
        }
        return .object(out)
    }
}
