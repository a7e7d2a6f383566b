import Foundation
import KubeAPI

extension CRDDefinition {
    /// What the real server refuses in this CRD when it is created (see ``CRDValidation``).
    /// Empty means acceptable.
    public func validate() -> [FieldError] {
        CRDValidation(Self.applyingDefaults(to: raw)).validate()
    }

    /// `422 Invalid` for this CRD: `CustomResourceDefinition.apiextensions.k8s.io "x" is invalid: …`.
    public func invalidStatus(_ errors: [FieldError]) -> Status {
        StoreErrors.invalid(.customResourceDefinitions, name: name, causes: errors.causes)
    }
}

/// apiextensions-apiserver's validation of a CustomResourceDefinition
/// (`ValidateCustomResourceDefinition` and `…Update`), on the object as the server sees it
/// after decoding v1 into its internal form: per-version schemas, subresources and printer
/// columns that are the same in every version are moved to `spec.validation`,
/// `spec.subresources` and `spec.additionalPrinterColumns` (which is where the real server
/// reports their errors), and `spec.version` is the first version's name.
///
/// The status it checks is the one the server prepares: on create `storedVersions` holds
/// the first version marked as storage; on update the old stored versions plus the new
/// storage version.
public struct CRDValidation: Sendable {
    public let crd: JSONValue
    public let old: JSONValue?

    public init(_ crd: JSONValue, old: JSONValue? = nil) {
        self.crd = crd
        self.old = old
    }

    var spec: JSONObject { crd["spec"]?.objectValue ?? JSONObject() }
    var versions: [JSONValue] { spec["versions"]?.arrayValue ?? [] }
    var group: String { spec["group"]?.stringValue ?? "" }
    var names: JSONObject { spec["names"]?.objectValue ?? JSONObject() }
    var plural: String { names["plural"]?.stringValue ?? "" }

    /// Whether every version has the same, present value for `key` (the internal form then
    /// holds it once at the top level).
    func hoisted(_ key: String) -> JSONValue? {
        guard let first = versions.first?[key] else { return nil }
        if key == "additionalPrinterColumns", first.arrayValue?.isEmpty ?? true { return nil }
        guard versions.allSatisfy({ $0[key] == first }) else { return nil }
        return first
    }

    /// `status.storedVersions` as the server prepares it before validating.
    public var preparedStoredVersions: [String] {
        let firstStorage = versions.first { $0["storage"]?.boolValue == true }?["name"]?.stringValue
        guard let old else { return firstStorage.map { [$0] } ?? [] }
        var stored = old[path: ["status", "storedVersions"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let firstStorage, !stored.contains(firstStorage) { stored.append(firstStorage) }
        return stored
    }

    /// Whether the old object (of an update) is Established.
    var oldEstablished: Bool {
        old?[path: ["status", "conditions"]]?.arrayValue?.contains {
            $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True"
        } ?? false
    }

    /// Every error, in the server's order: metadata, spec, status, stored versions,
    /// `spec.preserveUnknownFields`; for an update also the immutable fields.
    public func validate() -> [FieldError] {
        // An update checks no name rules (the name cannot change).
        var errors = old == nil ? validateName() : []
        errors += validateSpec()
        errors += validateAcceptedNames()
        errors += validateStoredVersions(preparedStoredVersions)
        if spec["preserveUnknownFields"]?.boolValue == true, old?[path: ["spec", "preserveUnknownFields"]]?.boolValue != true {
            errors.append(FieldError(.invalid, field: "spec.preserveUnknownFields", value: true,
                                     detail: "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"))
        }
        if let old { errors += immutableFields(old) }
        return errors
    }

    /// The `Warning`s of a successful write: each unrecognized `format` (on update only those
    /// the old object did not have) and each `x-kubernetes-list-type: set` of objects or lists.
    public var warnings: [String] {
        var formats = schemas.flatMap(CRDSchemaValidation.formatWarnings)
        var sets = Set(schemas.flatMap(CRDSchemaValidation.nodes).compactMap { node -> String? in
            guard node.object["x-kubernetes-list-type"] == "set", let type = node.items?.type, type == "object" || type == "array" else { return nil }
            return "x-kubernetes-list-type: set for items of type \(FieldError.quote(type)) is not supported by server-side apply or CEL validation rules"
        }).sorted()
        if let old {
            let before = CRDValidation(old)
            let oldFormats = Set(before.schemas.flatMap(CRDSchemaValidation.formatWarnings))
            formats.removeAll { oldFormats.contains($0) }
            let oldSets = Set(before.warnings)
            sets.removeAll { oldSets.contains($0) }
        }
        return formats + sets
    }

    /// The schemas of the internal form: the shared one, or each version's.
    var schemas: [JSONValue] {
        if let shared = hoisted("schema") { return shared["openAPIV3Schema"].map { [$0] } ?? [] }
        return versions.compactMap { $0[path: ["schema", "openAPIV3Schema"]] }
    }

    /// A write of `/status` checks only the accepted names (`ValidateUpdateCustomResourceDefinitionStatus`).
    public func validateStatusUpdate() -> [FieldError] { validateAcceptedNames() }

    func validateName() -> [FieldError] {
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        var errors = NameValidation.dns1123Subdomain(name).map { FieldError(.invalid, field: "metadata.name", value: .string(name), detail: $0) }
        if name != plural + "." + group {
            errors.append(FieldError(.invalid, field: "metadata.name", value: .string(name), detail: #"must be spec.names.plural+"."+spec.group"#))
        }
        return errors
    }

    func immutableFields(_ old: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        func immutable(_ path: [String], _ field: String) {
            let new = crd[path: path] ?? .string("")
            if new != (old[path: path] ?? .string("")) {
                errors.append(FieldError(.invalid, field: field, value: new, detail: "field is immutable"))
            }
        }
        if oldEstablished {
            immutable(["spec", "scope"], "spec.scope")
            immutable(["spec", "names", "kind"], "spec.names.kind")
        }
        immutable(["spec", "group"], "spec.group")
        immutable(["spec", "names", "plural"], "spec.names.plural")
        return errors
    }

    func validateSpec() -> [FieldError] {
        var errors = CRDDefinition.groupAndScopeErrors(group: group, scope: spec["scope"]?.stringValue ?? "")
        let schema = hoisted("schema")
        let subresources = hoisted("subresources")
        let columns = hoisted("additionalPrinterColumns")
        let requireSchema = old.map { CRDValidation($0).allVersionsHaveSchemas } ?? true
        if requireSchema, schema == nil {
            for (i, v) in versions.enumerated() where v[path: ["schema", "openAPIV3Schema"]] == nil {
                errors.append(FieldError(.required, field: "spec.versions[\(i)].schema.openAPIV3Schema"))
            }
        }
        let preserveUnknown = spec["preserveUnknownFields"]?.boolValue ?? false
        if preserveUnknown, versions.contains(where: { CRDSchemaValidation.hasDefaults($0[path: ["schema", "openAPIV3Schema"]]) }) {
            errors.append(FieldError(.invalid, field: "spec.preserveUnknownFields", value: true, detail: "must be false in order to use defaults in the schema"))
        }
        var seen: Set<String> = []
        var unique = true
        for (i, v) in versions.enumerated() {
            let path = FieldPath("spec.versions").index(i)
            let name = v["name"]?.stringValue ?? ""
            if !seen.insert(name).inserted { unique = false }
            let nameErrors = NameValidation.dns1035Label(name)
            if !nameErrors.isEmpty {
                errors.append(FieldError(.invalid, field: path.child("name").description, value: .string(name), detail: nameErrors.joined(separator: ",")))
            }
            errors += validateVersion(v, at: path, schemaHoisted: schema != nil, subresourcesHoisted: subresources != nil,
                                      columnsHoisted: columns != nil)
            if hoisted("selectableFields") == nil, let fields = v["selectableFields"]?.arrayValue, !fields.isEmpty {
                // A schema shared by every version has moved to spec.validation: the real
                // server then refuses per-version selectable fields.
                if schema == nil, let versionSchema = v["schema"]?["openAPIV3Schema"] {
                    errors += Self.selectableFieldErrors(fields, schema: versionSchema, at: path.child("selectableFields"))
                } else {
                    errors.append(FieldError(.invalid, field: path.child("selectableFields").description, value: "",
                                             detail: "may only be set when `version.schema.openAPIV3Schema` is not included"))
                }
            }
        }
        if !unique {
            errors.append(FieldError(.invalid, field: "spec.versions", value: versionsValue, detail: "must contain unique version names"))
        }
        if versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            errors.append(FieldError(.invalid, field: "spec.versions", value: versionsValue, detail: "must have exactly one version marked as storage version"))
        }
        if let first = versions.first?["name"]?.stringValue, !first.isEmpty, case let msgs = NameValidation.dns1035Label(first), !msgs.isEmpty {
            errors.append(FieldError(.invalid, field: "spec.version", value: .string(first), detail: msgs.joined(separator: ",")))
        }
        errors += validateNames()
        if let schema {
            let statusEnabled = subresources?["status"] != nil || versions.contains { $0[path: ["subresources", "status"]] != nil }
            errors += CRDSchemaValidation().validate(schema["openAPIV3Schema"], statusEnabled: statusEnabled, at: FieldPath("spec.validation"))
        }
        if let subresources { errors += Self.subresourceErrors(subresources, at: FieldPath("spec.subresources")) }
        if let fields = hoisted("selectableFields")?.arrayValue, !fields.isEmpty {
            let path = FieldPath("spec.selectableFields")
            if let schema = schema?["openAPIV3Schema"] {
                errors += Self.selectableFieldErrors(fields, schema: schema, at: path)
            } else {
                errors.append(FieldError(.invalid, field: path.description, value: "", detail: "may only be set when validations.schema is included"))
            }
        }
        for (i, column) in (columns?.arrayValue ?? []).enumerated() {
            errors += Self.columnErrors(column, at: FieldPath("spec.additionalPrinterColumns").index(i))
        }
        errors += conversionErrors(preserveUnknown: preserveUnknown)
        return errors
    }

    var allVersionsHaveSchemas: Bool {
        versions.allSatisfy { $0[path: ["schema", "openAPIV3Schema"]] != nil }
    }

    /// `spec.versions` as the server prints it in messages (Go's `%#v` there; JSON here).
    var versionsValue: JSONValue {
        .array(versions.map { v in ["name": v["name"] ?? "", "served": v["served"] ?? false, "storage": v["storage"] ?? false] })
    }

    func validateVersion(
        _ v: JSONValue, at path: FieldPath, schemaHoisted: Bool, subresourcesHoisted: Bool, columnsHoisted: Bool
    ) -> [FieldError] {
        var errors: [FieldError] = []
        let deprecated = v["deprecated"]?.boolValue ?? false
        if let warning = v["deprecationWarning"] {
            let text = warning.stringValue ?? ""
            var problems: [String] = []
            if !deprecated { problems.append("can only be set for deprecated versions") } else {
                if text.utf8.count > 256 { problems.append("must be <= 256 characters long") }
                if text.isEmpty { problems.append("must not be an empty string") }
                if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    problems.append("must only contain printable UTF-8 characters")
                }
            }
            errors += problems.map { FieldError(.invalid, field: path.child("deprecationWarning").description, value: warning, detail: $0) }
        }
        if !schemaHoisted, let schema = v["schema"] {
            let statusEnabled = subresourcesHoisted ? hoisted("subresources")?["status"] != nil : v[path: ["subresources", "status"]] != nil
            errors += CRDSchemaValidation().validate(schema["openAPIV3Schema"], statusEnabled: statusEnabled, at: path.child("schema"))
        }
        if !subresourcesHoisted, let subresources = v["subresources"] {
            errors += Self.subresourceErrors(subresources, at: path.child("subresources"))
        }
        if !columnsHoisted {
            for (i, column) in (v["additionalPrinterColumns"]?.arrayValue ?? []).enumerated() {
                errors += Self.columnErrors(column, at: path.child("additionalPrinterColumns").index(i))
            }
        }
        return errors
    }

    func validateNames() -> [FieldError] {
        var errors: [FieldError] = []
        for field in ["plural", "singular", "kind", "listKind"] where (names[field]?.stringValue ?? "").isEmpty {
            errors.append(FieldError(.required, field: "spec.names.\(field)"))
        }
        return errors + Self.nameErrors(names, at: FieldPath("spec.names"))
    }

    func validateAcceptedNames() -> [FieldError] {
        guard let accepted = crd[path: ["status", "acceptedNames"]]?.objectValue else { return [] }
        return Self.nameErrors(accepted, at: FieldPath("status.acceptedNames"))
    }

    /// `ValidateCustomResourceDefinitionNames`: DNS-1035 labels (kinds in any case), kind ≠ listKind.
    static func nameErrors(_ names: JSONObject, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        func label(_ field: FieldPath, _ value: String, prefix: String = "", lower: Bool = false) {
            let msgs = NameValidation.dns1035Label(lower ? value.lowercased() : value)
            if !value.isEmpty && !msgs.isEmpty {
                errors.append(FieldError(.invalid, field: field.description, value: .string(value), detail: prefix + msgs.joined(separator: ",")))
            }
        }
        let kind = names["kind"]?.stringValue ?? ""
        let listKind = names["listKind"]?.stringValue ?? ""
        label(path.child("plural"), names["plural"]?.stringValue ?? "")
        label(path.child("singular"), names["singular"]?.stringValue ?? "")
        label(path.child("kind"), kind, prefix: "may have mixed case, but should otherwise match: ", lower: true)
        label(path.child("listKind"), listKind, prefix: "may have mixed case, but should otherwise match: ", lower: true)
        for (i, short) in (names["shortNames"]?.arrayValue ?? []).enumerated() {
            let value = short.stringValue ?? ""
            let msgs = NameValidation.dns1035Label(value)
            if !msgs.isEmpty { errors.append(FieldError(.invalid, field: path.child("shortNames").index(i).description, value: short, detail: msgs.joined(separator: ","))) }
        }
        if !kind.isEmpty && kind == listKind {
            errors.append(FieldError(.invalid, field: path.child("listKind").description, value: .string(listKind), detail: "kind and listKind may not be the same"))
        }
        for (i, category) in (names["categories"]?.arrayValue ?? []).enumerated() {
            let msgs = NameValidation.dns1035Label(category.stringValue ?? "")
            if !msgs.isEmpty { errors.append(FieldError(.invalid, field: path.child("categories").index(i).description, value: category, detail: msgs.joined(separator: ","))) }
        }
        return errors
    }

    /// `ValidateCustomResourceDefinitionStoredVersions`.
    func validateStoredVersions(_ stored: [String]) -> [FieldError] {
        let path = FieldPath("status.storedVersions")
        guard !stored.isEmpty else {
            return [FieldError(.invalid, field: path.description, value: .null, detail: "must have at least one stored version")]
        }
        var errors: [FieldError] = []
        var remaining = stored
        for v in versions {
            let name = v["name"]?.stringValue ?? ""
            let known = remaining.contains(name)
            if v["storage"]?.boolValue == true && !known {
                errors.append(FieldError(.invalid, field: path.description, value: .array(stored.map { .string($0) }), detail: "must have the storage version \(name)"))
            }
            remaining.removeAll { $0 == name }
        }
        for name in remaining {
            let i = stored.firstIndex(of: name) ?? 0
            errors.append(FieldError(
                .invalid, field: path.index(i).description, value: .string(name),
                detail: "missing from spec.versions; \(name) was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in \(name) and removes \(name) from status.storedVersions"))
        }
        return errors
    }

    /// `spec.conversion`: strategy None or Webhook; a webhook needs a client config and
    /// review versions, None forbids them.
    func conversionErrors(preserveUnknown: Bool) -> [FieldError] {
        guard let conversion = spec["conversion"]?.objectValue else { return [] }
        let path = FieldPath("spec.conversion")
        var errors: [FieldError] = []
        let strategy = conversion["strategy"]?.stringValue ?? ""
        if strategy != "None", preserveUnknown {
            errors.append(FieldError(.invalid, field: path.child("strategy").description, value: .string(strategy), detail: "must be None if spec.preserveUnknownFields is true"))
        }
        if strategy.isEmpty {
            errors.append(FieldError(.required, field: path.child("strategy").description))
        } else if strategy != "None" && strategy != "Webhook" {
            errors.append(FieldError(.notSupported, field: path.child("strategy").description, value: .string(strategy), detail: #"supported values: "None", "Webhook""#))
        }
        let review = conversion["webhook"]?["conversionReviewVersions"]?.arrayValue ?? conversion["conversionReviewVersions"]?.arrayValue ?? []
        let clientConfig = conversion["webhook"]?["clientConfig"] ?? conversion["webhookClientConfig"]
        if strategy == "Webhook" {
            if let clientConfig {
                let configPath = path.child("webhookClientConfig")
                if (clientConfig["url"] == nil) == (clientConfig["service"] == nil) {
                    errors.append(FieldError(.required, field: configPath.description, detail: "exactly one of url or service is required"))
                } else if let url = clientConfig["url"]?.stringValue {
                    errors += Self.webhookURLErrors(url, at: configPath.child("url"))
                } else if let service = clientConfig["service"] {
                    errors += Self.webhookServiceErrors(service, at: configPath.child("service"))
                }
            } else {
                errors.append(FieldError(.required, field: path.child("webhookClientConfig").description, detail: "required when strategy is set to Webhook"))
            }
            let reviewPath = path.child("conversionReviewVersions")
            if review.isEmpty {
                errors.append(FieldError(.required, field: reviewPath.description))
            } else {
                var seen: Set<String> = []
                for (i, version) in review.enumerated() {
                    let name = version.stringValue ?? ""
                    guard seen.insert(name).inserted else {
                        errors.append(FieldError(.invalid, field: reviewPath.index(i).description, value: version, detail: "duplicate version"))
                        continue
                    }
                    errors += NameValidation.dns1035Label(name).map { FieldError(.invalid, field: reviewPath.index(i).description, value: version, detail: $0) }
                }
                if !review.contains(where: { $0 == "v1" || $0 == "v1beta1" }) {
                    errors.append(FieldError(.invalid, field: reviewPath.description, value: .array(review), detail: "must include at least one of v1, v1beta1"))
                }
            }
        } else if strategy == "None" {
            if clientConfig != nil {
                errors.append(FieldError(.forbidden, field: path.child("webhookClientConfig").description, detail: "should not be set when strategy is not set to Webhook"))
            }
            if !review.isEmpty {
                errors.append(FieldError(.forbidden, field: path.child("conversionReviewVersions").description, detail: "should not be set when strategy is not set to Webhook"))
            }
        }
        return errors
    }

    /// `ValidateWebhookURL`: an https URL with a host, without user information, query or fragment.
    static func webhookURLErrors(_ text: String, at path: FieldPath) -> [FieldError] {
        let form = "; desired format: https://host[/path]"
        guard let url = URLComponents(string: text) else {
            return [FieldError(.required, field: path.description, detail: "url must be a valid URL: parse \(FieldError.quote(text)): invalid URL\(form)")]
        }
        var errors: [FieldError] = []
        if url.scheme != "https" {
            errors.append(FieldError(.invalid, field: path.description, value: .string(url.scheme ?? ""), detail: "'https' is the only allowed URL scheme\(form)"))
        }
        if (url.host ?? "").isEmpty {
            errors.append(FieldError(.invalid, field: path.description, value: "", detail: "host must be specified\(form)"))
        }
        if let user = url.user {
            errors.append(FieldError(.invalid, field: path.description, value: .string(user), detail: "user information is not permitted in the URL"))
        }
        if let fragment = url.fragment, !fragment.isEmpty {
            errors.append(FieldError(.invalid, field: path.description, value: .string(fragment), detail: "fragments are not permitted in the URL"))
        }
        if let query = url.query, !query.isEmpty {
            errors.append(FieldError(.invalid, field: path.description, value: .string(query), detail: "query parameters are not permitted in the URL"))
        }
        return errors
    }

    /// `ValidateWebhookService`: name and namespace, a port (443 by default) and a path of
    /// DNS-subdomain segments.
    static func webhookServiceErrors(_ service: JSONValue, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if (service["name"]?.stringValue ?? "").isEmpty { errors.append(FieldError(.required, field: path.child("name").description, detail: "service name is required")) }
        if (service["namespace"]?.stringValue ?? "").isEmpty { errors.append(FieldError(.required, field: path.child("namespace").description, detail: "service namespace is required")) }
        let port = service["port"]?.numberValue?.int ?? 443
        if !(1...65535).contains(port) {
            errors.append(FieldError(.invalid, field: path.child("port").description, value: .number(JSONNumber(port)), detail: "port is not valid: must be between 1 and 65535, inclusive"))
        }
        guard let urlPath = service["path"]?.stringValue, !urlPath.isEmpty, urlPath != "/" else { return errors }
        let pathField = path.child("path").description
        if urlPath == "//" { return errors + [FieldError(.invalid, field: pathField, value: .string(urlPath), detail: "segment[0] may not be empty")] }
        if !urlPath.hasPrefix("/") { errors.append(FieldError(.invalid, field: pathField, value: .string(urlPath), detail: "must start with a '/'")) }
        var rest = Substring(urlPath.dropFirst())
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        for (i, step) in rest.split(separator: "/", omittingEmptySubsequences: false).enumerated() {
            if step.isEmpty {
                errors.append(FieldError(.invalid, field: pathField, value: .string(urlPath), detail: "segment[\(i)] may not be empty"))
                continue
            }
            errors += NameValidation.dns1123Subdomain(String(step)).map { FieldError(.invalid, field: pathField, value: .string(urlPath), detail: "segment[\(i)]: \($0)") }
        }
        return errors
    }

    /// `ValidateCustomResourceDefinitionSubresources`: the scale subresource's JSON paths.
    static func subresourceErrors(_ subresources: JSONValue, at path: FieldPath) -> [FieldError] {
        guard let scale = subresources["scale"]?.objectValue else { return [] }
        var errors: [FieldError] = []
        func check(_ key: String, under prefixes: [String], required: Bool, message: String) {
            let field = path.child("scale.\(key)").description
            let value = scale[key]?.stringValue ?? ""
            if value.isEmpty {
                if required { errors.append(FieldError(.required, field: field)) }
                return
            }
            if let error = simpleJSONPathError(value, field: field) {
                errors.append(error)
            } else if !prefixes.contains(where: { value.hasPrefix($0) }) {
                errors.append(FieldError(.invalid, field: field, value: .string(value), detail: message))
            }
        }
        check("specReplicasPath", under: [".spec."], required: true, message: "should be a json path under .spec")
        check("statusReplicasPath", under: [".status."], required: true, message: "should be a json path under .status")
        check("labelSelectorPath", under: [".spec.", ".status."], required: false, message: "should be a json path under either .spec or .status")
        return errors
    }

    static func simpleJSONPathError(_ s: String, field: String) -> FieldError? {
        if s.isEmpty { return FieldError(.invalid, field: field, value: .string(s), detail: "must not be empty") }
        if !s.hasPrefix(".") { return FieldError(.invalid, field: field, value: .string(s), detail: "must be a simple json path starting with .") }
        return nil
    }

    /// `ValidateCustomResourceSelectableFields`: at most 8 distinct paths to string, boolean
    /// or integer fields outside metadata.
    static func selectableFieldErrors(_ fields: [JSONValue], schema: JSONValue, at path: FieldPath) -> [FieldError] {
        guard let root = SchemaNode(schema) else { return [] }
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for (i, field) in fields.enumerated() {
            let at = path.index(i).child("jsonPath").description
            let jsonPath = field["jsonPath"]?.stringValue ?? ""
            guard !jsonPath.isEmpty else {
                errors.append(FieldError(.required, field: at))
                continue
            }
            guard let (names, node) = CRDRuleCheck.resolveFieldPath(jsonPath, in: root, allowArrayNotation: false) else {
                errors.append(FieldError(.invalid, field: at, value: .string(jsonPath), detail: "is an invalid path: does not refer to a valid field"))
                continue
            }
            if names.first == "metadata" {
                errors.append(FieldError(.invalid, field: at, value: .string(jsonPath), detail: "must not point to fields in metadata"))
            }
            if !["string", "boolean", "integer"].contains(node.type ?? "") {
                errors.append(FieldError(.invalid, field: at, value: .string(jsonPath),
                                         detail: "must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed."))
            }
            if !seen.insert(names.joined(separator: ".")).inserted {
                errors.append(FieldError(.duplicate, field: at, value: .string(jsonPath)))
            }
        }
        if seen.count > 8 {
            errors.append(FieldError(.tooMany, field: path.description, value: .number(JSONNumber(seen.count)), detail: "must have at most 8 items"))
        }
        return errors
    }

    static let columnTypes = ["boolean", "date", "integer", "number", "string"]
    static let columnFormats = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"]

    /// `ValidateCustomResourceColumnDefinition`.
    static func columnErrors(_ column: JSONValue, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if (column["name"]?.stringValue ?? "").isEmpty { errors.append(FieldError(.required, field: path.child("name").description)) }
        let type = column["type"]?.stringValue ?? ""
        let types = columnTypes.joined(separator: ",")
        if type.isEmpty {
            errors.append(FieldError(.required, field: path.child("type").description, detail: "must be one of \(types)"))
        } else if !columnTypes.contains(type) {
            errors.append(FieldError(.invalid, field: path.child("type").description, value: .string(type), detail: "must be one of \(types)"))
        }
        if let format = column["format"]?.stringValue, !format.isEmpty, !columnFormats.contains(format) {
            errors.append(FieldError(.invalid, field: path.child("format").description, value: .string(format), detail: "must be one of \(columnFormats.joined(separator: ","))"))
        }
        let jsonPath = column["jsonPath"]?.stringValue ?? ""
        let field = path.child("JSONPath").description
        if jsonPath.isEmpty {
            errors.append(FieldError(.required, field: field))
        } else if let error = simpleJSONPathError(jsonPath, field: field) {
            errors.append(error)
        }
        return errors
    }
}

extension CRDDefinition {
    /// `spec.group` (a DNS subdomain with a dot) and `spec.scope` (Cluster or Namespaced).
    static func groupAndScopeErrors(group: String, scope: String) -> [FieldError] {
        var errors: [FieldError] = []
        if group.isEmpty {
            errors.append(FieldError(.required, field: "spec.group"))
        } else if case let msgs = NameValidation.dns1123Subdomain(group), !msgs.isEmpty {
            errors.append(FieldError(.invalid, field: "spec.group", value: .string(group), detail: msgs.joined(separator: ",")))
        } else if !group.contains(".") {
            errors.append(FieldError(.invalid, field: "spec.group", value: .string(group), detail: "should be a domain with at least one dot"))
        }
        if scope.isEmpty {
            errors.append(FieldError(.required, field: "spec.scope"))
        } else if scope != "Cluster" && scope != "Namespaced" {
            errors.append(FieldError(.notSupported, field: "spec.scope", value: .string(scope), detail: #"supported values: "Cluster", "Namespaced""#))
        }
        return errors
    }
}
