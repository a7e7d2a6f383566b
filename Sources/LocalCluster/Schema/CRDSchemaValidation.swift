import KubeAPI

/// apiextensions-apiserver's checks of one `openAPIV3Schema` of a CRD
/// (`validateCustomResourceDefinitionValidation`): what the root may hold when the status
/// subresource is enabled, the structural rules (``StructuralSchemaCheck``), the defaults
/// (``CRDDefaultsCheck``), then one walk over the schema for the OpenAPI keyword rules, the
/// list and map extensions and the `x-kubernetes-validations` rules, which are compiled and
/// costed (``CRDRuleCheck``) when the schema is otherwise sound.
public struct CRDSchemaValidation: Sendable {
    public init() {}

    /// The errors of the schema under `base` (`spec.validation` or `spec.versions[i].schema`).
    public func validate(_ schema: JSONValue?, statusEnabled: Bool, at base: FieldPath) -> [FieldError] {
        guard let schema else { return [] }
        let path = base.child("openAPIV3Schema")
        guard let node = SchemaNode(schema) else {
            return [FieldError(.invalid, field: path.description, value: schema, detail: "must be an object")]
        }
        var errors: [FieldError] = []
        if statusEnabled { errors += Self.statusRootErrors(node, at: path) }
        if node.nullable {
            errors.append(FieldError(.forbidden, field: path.child("nullable").description, detail: "nullable cannot be true at the root"))
        }
        var rules: CRDRuleCheck?
        var conversionErrors: [FieldError] = []
        if let failure = StructuralSchemaCheck.conversionError(node) {
            conversionErrors.append(FieldError(.invalid, field: path.description, value: "", detail: failure))
        } else if case let structural = StructuralSchemaCheck.validate(node, at: path), !structural.isEmpty {
            errors += structural
        } else if case let defaults = CRDDefaultsCheck.validate(node, at: path), !defaults.isEmpty {
            errors += defaults
        } else {
            rules = CRDRuleCheck()
        }
        let walked = walk(node, at: path, scope: Scope(), isRoot: true, cardinality: rules == nil ? nil : .bounded(1), rules: &rules)
        errors += walked.schema + walked.rules
        if errors.isEmpty { errors += conversionErrors }
        if let rules { errors += rules.totalCostErrors(root: path) }
        return errors
    }

    // MARK: - Root with the status subresource

    /// The schema's fields in the order of Go's `JSONSchemaProps`, and whether each is
    /// allowed at the root when the status subresource is enabled.
    static let rootFields: [(key: String, allowed: Bool)] = [
        ("id", false), ("$schema", false), ("$ref", false), ("description", true), ("type", true), ("nullable", false),
        ("format", true), ("title", true), ("default", false), ("maximum", true), ("exclusiveMaximum", true), ("minimum", true),
        ("exclusiveMinimum", true), ("maxLength", true), ("minLength", true), ("pattern", true), ("maxItems", true),
        ("minItems", true), ("uniqueItems", true), ("multipleOf", true), ("enum", false), ("maxProperties", false),
        ("minProperties", false), ("required", true), ("items", true), ("allOf", false), ("oneOf", false), ("anyOf", false),
        ("not", false), ("properties", true), ("additionalProperties", false), ("patternProperties", false),
        ("dependencies", false), ("additionalItems", false), ("definitions", false), ("externalDocs", true), ("example", true),
        ("x-kubernetes-preserve-unknown-fields", true), ("x-kubernetes-embedded-resource", false),
        ("x-kubernetes-int-or-string", false), ("x-kubernetes-list-map-keys", false), ("x-kubernetes-list-type", false),
        ("x-kubernetes-map-type", false), ("x-kubernetes-validations", true),
    ]

    static let allowedAtRoot = "[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]"

    /// The first field (in Go's order) that the root may not set, or a type other than object.
    static func statusRootErrors(_ node: SchemaNode, at path: FieldPath) -> [FieldError] {
        for (key, allowed) in rootFields {
            guard let value = node.object[key], value != .null, value != false, value != "" else { continue }
            if key == "type" {
                if value != "object" {
                    return [FieldError(.invalid, field: path.child("type").description, value: value,
                                       detail: #"only "object" is allowed as the type at the root of the schema if the status subresource is enabled"#)]
                }
                continue
            }
            if !allowed {
                return [FieldError(.invalid, field: path.description, value: .object(node.object),
                                   detail: "only \(allowedAtRoot) fields are allowed at the root of the schema if the status subresource is enabled")]
            }
        }
        return []
    }

    // MARK: - The walk (`ValidateCustomResourceDefinitionOpenAPISchema`)

    /// What applies below a node: whether defaults are allowed (not in top-level metadata),
    /// whether it is part of an object's metadata, and the first ancestor whose values old
    /// and new objects cannot be matched on (no `oldSelf` below it).
    struct Scope {
        var defaultsForbidden: String?
        var insideResourceMeta = false
        var uncorrelatable: FieldPath?

        func forbiddingDefaults(_ reason: String) -> Scope {
            var s = self
            s.defaultsForbidden = reason
            return s
        }

        func forbiddingOldSelf(_ path: FieldPath) -> Scope {
            guard uncorrelatable == nil else { return self }
            var s = self
            s.uncorrelatable = path
            return s
        }
    }

    /// How often a node's rules may run per object: a number, or unbounded (under a list or
    /// map without `maxItems`/`maxProperties`).
    enum Cardinality {
        case bounded(UInt64)
        case unbounded

        /// The cardinality of a child of `node` (which has this one).
        func child(of node: SchemaNode) -> Cardinality {
            guard case .bounded(let n) = self else { return .unbounded }
            let max: Int?
            switch node.type {
            case "object": max = node.additionalProperties == nil ? 1 : node.maxProperties.map { Swift.max(0, $0) }
            case "array": max = node.maxItems.map { Swift.max(0, $0) }
            default: max = 1
            }
            guard let max else { return .unbounded }
            return .bounded(CRDRuleCheck.multiply(n, UInt64(max)))
        }
    }

    static let openAPITypes = ["array", "boolean", "integer", "number", "object", "string"]
    static let metaFields: Set<String> = ["metadata", "kind", "apiVersion"]

    /// Errors of the schema keywords and, separately, of its rules. `cardinality` is nil
    /// where rules are not compiled (inside junctors, or when the schema is not sound).
    func walk(
        _ node: SchemaNode, at path: FieldPath, scope: Scope, isRoot: Bool, cardinality: Cardinality?, rules: inout CRDRuleCheck?
    ) -> (schema: [FieldError], rules: [FieldError]) {
        var schemaErrors = keywordErrors(node, at: path, scope: scope)
        var ruleErrors: [FieldError] = []
        func add(_ result: (schema: [FieldError], rules: [FieldError])) {
            schemaErrors += result.schema
            ruleErrors += result.rules
        }
        if node.uniqueItems {
            schemaErrors.append(FieldError(.forbidden, field: path.child("uniqueItems").description, detail: "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        if let extra = node.additionalProperties {
            if node.hasProperties && extra != .allowed(true) {
                schemaErrors.append(FieldError(.forbidden, field: path.child("additionalProperties").description, detail: "additionalProperties and properties are mutual exclusive"))
            }
            if case .schema(let s) = extra {
                let sub = scope.insideResourceMeta ? scope.forbiddingDefaults("inside additionalProperties applying to object metadata") : scope
                add(walk(s, at: path.child("additionalProperties"), scope: sub, isRoot: false, cardinality: cardinality?.child(of: node), rules: &rules))
            }
        }
        for (name, prop) in node.properties.sorted(by: { $0.name < $1.name }) {
            var sub = scope
            if let mapType = node.object["x-kubernetes-map-type"]?.stringValue, mapType != "granular", mapType != "atomic" {
                sub = sub.forbiddingOldSelf(path)
            }
            if (isRoot || node.embeddedResource) && Self.metaFields.contains(name) {
                sub.insideResourceMeta = true
                if isRoot { sub = sub.forbiddingDefaults("in top-level \(name)") }
            }
            add(walk(prop, at: path.child("properties").key(name), scope: sub, isRoot: false, cardinality: cardinality?.child(of: node), rules: &rules))
        }
        var none: CRDRuleCheck? = nil
        if let not = SchemaNode(node.object["not"]) { add(walk(not, at: path.child("not"), scope: scope, isRoot: false, cardinality: nil, rules: &none)) }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, clause) in (node.object[key]?.arrayValue ?? []).enumerated() {
                add(walk(SchemaNode(clause) ?? SchemaNode(JSONObject()), at: path.child(key).index(i), scope: scope, isRoot: false, cardinality: nil, rules: &none))
            }
        }
        for (name, definition) in (node.object["definitions"]?.objectValue ?? JSONObject()).sorted(by: { $0.key < $1.key }) {
            if let d = SchemaNode(definition) { add(walk(d, at: path.child("definitions").key(name), scope: scope, isRoot: false, cardinality: nil, rules: &none)) }
        }
        let listType = node.object["x-kubernetes-list-type"]?.stringValue
        let itemScope = listType == "map" ? scope : scope.forbiddingOldSelf(path)
        if let items = node.items {
            add(walk(items, at: path.child("items"), scope: itemScope, isRoot: false, cardinality: cardinality?.child(of: node), rules: &rules))
        }
        for (i, item) in (node.object["items"]?.arrayValue ?? []).enumerated() {
            if let s = SchemaNode(item) { add(walk(s, at: path.child("items").index(i), scope: itemScope, isRoot: false, cardinality: cardinality?.child(of: node), rules: &rules)) }
        }
        for (name, dependency) in (node.object["dependencies"]?.objectValue ?? JSONObject()).sorted(by: { $0.key < $1.key }) {
            if let d = SchemaNode(dependency) { add(walk(d, at: path.child("dependencies").key(name), scope: scope, isRoot: false, cardinality: nil, rules: &none)) }
        }
        schemaErrors += extensionErrors(node, at: path)
        let validations = node.object["x-kubernetes-validations"]?.arrayValue ?? []
        if !validations.isEmpty {
            schemaErrors += CRDRuleCheck.staticErrors(validations, node: node, at: path.child("x-kubernetes-validations"))
            if schemaErrors.isEmpty, let cardinality, rules != nil {
                ruleErrors += rules!.compile(validations, node: node, isResourceRoot: isRoot || node.embeddedResource, cardinality: cardinality,
                                             uncorrelatable: scope.uncorrelatable, at: path.child("x-kubernetes-validations"))
            }
        }
        return (schemaErrors, ruleErrors)
    }

    /// `specStandardValidatorV3.validate`: the keywords v1 CRDs may not use.
    func keywordErrors(_ node: SchemaNode, at path: FieldPath, scope: Scope) -> [FieldError] {
        var errors: [FieldError] = []
        let o = node.object
        if let type = node.type, !Self.openAPITypes.contains(type) {
            errors.append(FieldError(.notSupported, field: path.child("type").description, value: .string(type),
                                     detail: "supported values: " + Self.openAPITypes.map { FieldError.quote($0) }.joined(separator: ", ")))
        }
        if let reason = scope.defaultsForbidden, let d = o["default"], !d.isNull {
            errors.append(FieldError(.forbidden, field: path.child("default").description, detail: "must not be set " + reason))
        }
        func forbid(_ key: String, _ detail: String) { errors.append(FieldError(.forbidden, field: path.child(key).description, detail: detail)) }
        if !(o["id"]?.stringValue ?? "").isEmpty { forbid("id", "id is not supported") }
        if o["additionalItems"] != nil { forbid("additionalItems", "additionalItems is not supported") }
        if !(o["patternProperties"]?.objectValue?.isEmpty ?? true) { forbid("patternProperties", "patternProperties is not supported") }
        if !(o["definitions"]?.objectValue?.isEmpty ?? true) { forbid("definitions", "definitions is not supported") }
        if o["dependencies"] != nil { forbid("dependencies", "dependencies is not supported") }
        if o["$ref"] != nil { forbid("$ref", "$ref is not supported") }
        if node.type == "null" { forbid("type", "type cannot be set to null, use nullable as an alternative") }
        if !(o["items"]?.arrayValue?.isEmpty ?? true) { forbid("items", "items must be a schema object and not an array") }
        if scope.insideResourceMeta && node.embeddedResource { forbid("x-kubernetes-embedded-resource", "must not be used inside of resource meta") }
        return errors
    }

    /// `x-kubernetes-preserve-unknown-fields: false` and the list and map extensions.
    func extensionErrors(_ node: SchemaNode, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let o = node.object
        if o["x-kubernetes-preserve-unknown-fields"]?.boolValue == false {
            errors.append(FieldError(.invalid, field: path.child("x-kubernetes-preserve-unknown-fields").description, value: false, detail: "must be true or undefined"))
        }
        let typePath = path.child("type").description
        func typeMustBe(_ expected: String, _ reason: String) {
            let detail = "must be \(expected) if \(reason) is specified"
            if let type = node.type {
                errors.append(FieldError(.invalid, field: typePath, value: .string(type), detail: detail))
            } else {
                errors.append(FieldError(.required, field: typePath, detail: detail))
            }
        }
        if let mapType = o["x-kubernetes-map-type"]?.stringValue {
            if node.type != "object" { typeMustBe("object", "x-kubernetes-map-type") }
            if mapType != "atomic" && mapType != "granular" {
                errors.append(FieldError(.notSupported, field: path.child("x-kubernetes-map-type").description, value: .string(mapType), detail: #"supported values: "atomic", "granular""#))
            }
        }
        let listType = o["x-kubernetes-list-type"]?.stringValue
        let items = node.items
        if listType != nil && node.type != "array" {
            typeMustBe("array", "x-kubernetes-list-type")
        } else if listType == "set", let items {
            if items.type == "array", let itemList = items.object["x-kubernetes-list-type"]?.stringValue, itemList != "atomic" {
                errors.append(FieldError(.invalid, field: path.child("items").child("x-kubernetes-list-type").description, value: .string(itemList), detail: "must be atomic as item of a list with x-kubernetes-list-type=set"))
            } else if items.type == "object", items.object["x-kubernetes-map-type"]?.stringValue != "atomic" {
                errors.append(FieldError(.invalid, field: path.child("items").child("x-kubernetes-map-type").description, value: .null, detail: "must be atomic as item of a list with x-kubernetes-list-type=set"))
            }
        }
        if let listType, !["atomic", "set", "map"].contains(listType) {
            errors.append(FieldError(.notSupported, field: path.child("x-kubernetes-list-type").description, value: .string(listType), detail: #"supported values: "atomic", "set", "map""#))
        }
        let keys = o["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let keysValue = JSONValue.array(keys.map { .string($0) })
        let keysPath = path.child("x-kubernetes-list-map-keys").description
        if !keys.isEmpty {
            if listType == nil {
                errors.append(FieldError(.required, field: path.child("x-kubernetes-list-type").description, detail: "must be map if x-kubernetes-list-map-keys is non-empty"))
            } else if listType != "map" {
                errors.append(FieldError(.invalid, field: path.child("x-kubernetes-list-type").description, value: .string(listType!), detail: "must be map if x-kubernetes-list-map-keys is non-empty"))
            }
        }
        if listType == "map" {
            if keys.isEmpty { errors.append(FieldError(.required, field: keysPath, detail: "must not be empty if x-kubernetes-list-type is map")) }
            if o["items"] == nil { errors.append(FieldError(.required, field: path.child("items").description, detail: "must have a schema if x-kubernetes-list-type is map")) }
            if let list = o["items"]?.arrayValue {
                errors.append(FieldError(.invalid, field: path.child("items").description, value: .array(list), detail: "must only have a single schema if x-kubernetes-list-type is map"))
            }
            if let items, items.type != "object" {
                errors.append(FieldError(.invalid, field: path.child("items").child("type").description, value: .string(items.type ?? ""), detail: "must be object if parent array's x-kubernetes-list-type is map"))
            }
            if let items, items.type == "object" {
                var seen: Set<String> = []
                for key in keys {
                    if let property = items.property(key) {
                        if property.type == "array" || property.type == "object" {
                            errors.append(FieldError(.invalid, field: path.child("items").child("properties").key(key).child("type").description, value: "object",
                                                     detail: "must be a scalar type if parent array's x-kubernetes-list-type is map"))
                        }
                    } else {
                        errors.append(FieldError(.invalid, field: keysPath, value: keysValue, detail: "entries must all be names of item properties"))
                    }
                    if !seen.insert(key).inserted {
                        errors.append(FieldError(.invalid, field: keysPath, value: keysValue, detail: "must not contain duplicate entries"))
                    }
                }
            }
        }
        if let items, listType == "set" || listType == "map" {
            if items.nullable {
                errors.append(FieldError(.forbidden, field: path.child("items").child("nullable").description, detail: "cannot be nullable when x-kubernetes-list-type is \(listType!)"))
            }
            if listType == "map" {
                let required = Set(items.required)
                for key in keys {
                    guard let property = items.property(key) else { continue }
                    let keyPath = path.child("items").child("properties").key(key)
                    if !required.contains(key) && property.defaultValue == nil {
                        errors.append(FieldError(.required, field: keyPath.child("default").description, detail: "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"))
                    }
                    if property.nullable {
                        errors.append(FieldError(.forbidden, field: keyPath.child("nullable").description, detail: "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"))
                    }
                }
            }
        }
        return errors
    }

    // MARK: - Whole-schema queries

    /// Every schema node of a schema, including those inside junctors, definitions and
    /// dependencies (Kubernetes' `SchemaHas` order).
    static func nodes(_ schema: JSONValue?) -> [SchemaNode] {
        guard let node = SchemaNode(schema) else { return [] }
        let o = node.object
        var out = [node]
        if let items = o["items"] {
            if items.arrayValue != nil { for item in items.arrayValue! { out += nodes(item) } } else { out += nodes(items) }
        }
        for key in ["allOf", "anyOf", "oneOf"] { for clause in o[key]?.arrayValue ?? [] { out += nodes(clause) } }
        out += nodes(o["not"])
        for key in ["properties", "additionalProperties", "patternProperties", "additionalItems", "definitions", "dependencies"] {
            guard let value = o[key] else { continue }
            if key == "additionalProperties" || key == "additionalItems" {
                out += nodes(value)
            } else {
                for (_, child) in (value.objectValue ?? JSONObject()).sorted(by: { $0.key < $1.key }) { out += nodes(child) }
            }
        }
        return out
    }

    /// Whether any node of the schema has a `default`.
    static func hasDefaults(_ schema: JSONValue?) -> Bool {
        nodes(schema).contains { $0.object["default"] != nil }
    }

    /// The server's create warnings for a schema: `unrecognized format "zipcode"` for each
    /// format it does not know for the node's type.
    static func formatWarnings(_ schema: JSONValue?) -> [String] {
        nodes(schema).compactMap { node in
            guard let format = node.format, !format.isEmpty else { return nil }
            let known: Bool = switch node.type ?? "" {
            case "", "string": knownStringFormats.contains(String(format.filter { $0 != "-" }))
            case "integer": format == "int32" || format == "int64"
            case "number": format == "float" || format == "double"
            default: false
            }
            return known ? nil : "unrecognized format \(FieldError.quote(format))"
        }
    }

    static let knownStringFormats: Set<String> = [
        "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4", "uuid5", "isbn",
        "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "byte", "password", "date", "duration", "datetime",
        "k8sshortname", "k8slongname",
    ]
}
