import CEL
import KubeAPI

/// apiextensions-apiserver's check of the `default`s in a structural schema
/// (`defaulting.ValidateDefaults`): every default outside object metadata must survive
/// pruning unchanged, be a valid embedded resource where the schema says so (the schema
/// root counts as one), and pass its own schema's validation. Defaults are reported at
/// `….default`, the errors inside them relative to it (`….default.[0].port`). A default
/// that passes its schema must also pass the `x-kubernetes-validations` rules of its node and
/// of the nodes below it (with `oldSelf` the default itself).
public enum CRDDefaultsCheck {
    public static func validate(_ root: SchemaNode, at path: FieldPath) -> [FieldError] {
        var resource = root
        resource.object["x-kubernetes-embedded-resource"] = true
        return walk(resource, at: path, insideMeta: false, isResourceRoot: true)
    }

    static func walk(_ node: SchemaNode, at path: FieldPath, insideMeta: Bool, isResourceRoot: Bool = false) -> [FieldError] {
        let insideMeta = insideMeta && !node.embeddedResource
        var errors: [FieldError] = []
        if let value = node.defaultValue, !value.isNull, !insideMeta {
            errors += check(value, against: node, at: path.child("default"), isResourceRoot: isResourceRoot || node.embeddedResource)
        }
        if let items = node.items { errors += walk(items, at: path.child("items"), insideMeta: insideMeta) }
        for (name, property) in node.properties.sorted(by: { $0.name < $1.name }) {
            let meta = insideMeta || (node.embeddedResource && ["metadata", "apiVersion", "kind"].contains(name))
            errors += walk(property, at: path.child("properties").key(name), insideMeta: meta)
        }
        return errors
    }

    static func check(_ value: JSONValue, against node: SchemaNode, at path: FieldPath, isResourceRoot: Bool = false) -> [FieldError] {
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
        if !schemaErrors.isEmpty { return errors + schemaErrors }
        return errors + ruleErrors(value, node, at: path, isResourceRoot: isResourceRoot)
    }

    /// The failures of the rules of `node` and the nodes below it on `value` (Kubernetes'
    /// `cel.Validator` on a default: `self` and `oldSelf` are the default).
    static func ruleErrors(_ value: JSONValue, _ node: SchemaNode, at path: FieldPath, isResourceRoot: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let rules = node.object["x-kubernetes-validations"]?.arrayValue ?? []
        if !rules.isEmpty, let decl = CELDeclType.from(schema: .object(node.object), isResourceRoot: isResourceRoot || node.embeddedResource) {
            let selfValue = CELValue.from(json: value, type: decl)
            let variables = ["self": selfValue, "oldSelf": selfValue]
            let type = JSONValue.string(node.type ?? "")
            for rule in rules {
                guard let text = rule["rule"]?.stringValue, !CRDRuleCheck.trimmed(text).isEmpty else { continue }
                let program: CELProgram
                do {
                    program = try CELProgram.compile(text, selfType: decl)
                } catch {
                    errors.append(FieldError(.invalid, field: path.description, value: type, detail: "rule compile error: compilation failed: \(error)"))
                    continue
                }
                switch program.evaluate(variables).value {
                case .bool(true):
                    continue
                case .error(let error):
                    errors.append(FieldError(.invalid, field: path.description, value: type, detail: "rule evaluation error: \(error)"))
                default:
                    var message = rule["message"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "failed rule: \(CRDRuleCheck.trimmed(text))"
                    if let expression = rule["messageExpression"]?.stringValue, !expression.isEmpty,
                       let messageProgram = try? CELProgram.compile(expression, selfType: decl),
                       case .string(let text) = messageProgram.evaluate(variables).value, !text.isEmpty {
                        message = text
                    }
                    let kind: FieldError.Kind = switch rule["reason"]?.stringValue {
                    case "FieldValueForbidden": .forbidden
                    case "FieldValueRequired": .required
                    case "FieldValueDuplicate": .duplicate
                    default: .invalid
                    }
                    var field = path.description
                    if let fieldPath = rule["fieldPath"]?.stringValue, !fieldPath.isEmpty { field += fieldPath.hasPrefix(".") ? fieldPath : "." + fieldPath }
                    errors.append(FieldError(kind, field: field, value: type, detail: message))
                }
            }
        }
        switch value {
        case .object(let o):
            for (key, child) in o {
                if let property = node.property(key) {
                    errors += ruleErrors(child, property, at: path.child(key), isResourceRoot: false)
                } else if let extra = node.additionalPropertiesSchema {
                    errors += ruleErrors(child, extra, at: path.key(key), isResourceRoot: false)
                }
            }
        case .array(let items):
            if let itemSchema = node.items {
                for (i, item) in items.enumerated() { errors += ruleErrors(item, itemSchema, at: path.index(i), isResourceRoot: false) }
            }
        default: break
        }
        return errors
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
