import CEL
import Foundation
import KubeAPI
import Synchronization

/// Evaluates a structural schema's `x-kubernetes-validations` (CEL rules) on a custom
/// resource, as the API server does after the OpenAPI checks:
///
/// - each rule runs with `self` bound to the value at its schema node (with `apiVersion`,
///   `kind` and `metadata.name`/`generateName` visible at a resource's root), nodes whose
///   value is absent or null are skipped;
/// - a transition rule (one that reads `oldSelf`) runs only on an update and only where the
///   old value correlates: object properties and map values by name, items of
///   `x-kubernetes-list-type: map` lists by their keys (never other list items);
/// - a rule that is false fails with its `messageExpression` (when it evaluates to a
///   non-empty single line), else its `message`, else `failed rule: <rule>`, at the node's
///   path plus its `fieldPath`, with its `reason` (default `FieldValueInvalid`);
/// - a rule that cannot be evaluated fails with `<error> evaluating rule: <rule>`;
/// - a rule that does not compile is refused with the compiler's error, never skipped;
/// - on an update, nothing below a value equal to its correlated old value is evaluated
///   (ratcheting: an object stored before a rule existed can still be updated elsewhere).
public struct SchemaRuleValidator: Sendable {
    public var schema: SchemaNode

    public init(schema: SchemaNode) { self.schema = schema }

    /// nil if the schema is not an object.
    public init?(schema: JSONValue) {
        guard let node = SchemaNode(schema) else { return nil }
        self.schema = node
    }

    /// Whether any node of the schema has rules (the server builds a CEL validator only then).
    public static func hasRules(_ schema: SchemaNode) -> Bool {
        if !(schema.object["x-kubernetes-validations"]?.arrayValue ?? []).isEmpty { return true }
        if schema.properties.contains(where: { hasRules($0.schema) }) { return true }
        if let items = schema.items, hasRules(items) { return true }
        if let extra = schema.additionalPropertiesSchema, hasRules(extra) { return true }
        return false
    }

    /// The errors of the rules on `object` (and `old` for an update).
    public func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var walk = Walk()
        walk.visit(object, old: old, node: schema, path: FieldPath(), isResourceRoot: true)
        return walk.errors
    }

    /// One pass over an object: the errors so far and the runtime cost budget left.
    struct Walk {
        var errors: [FieldError] = []
        var budget = CELLimits.runtimeCostBudget

        mutating func visit(_ value: JSONValue, old: JSONValue?, node: SchemaNode, path: FieldPath, isResourceRoot: Bool) {
            if value.isNull || budget < 0 { return }
            let oldValue = old.flatMap { $0.isNull ? nil : $0 }
            // Ratcheting: rules do not hold an unchanged value against an update.
            if let oldValue, SchemaValidator.equal(value, oldValue) { return }
            let rules = node.object["x-kubernetes-validations"]?.arrayValue ?? []
            if !rules.isEmpty {
                evaluate(rules, value, old: oldValue, node: node, path: path, isResourceRoot: isResourceRoot || node.embeddedResource)
            }
            switch value {
            case .object(let o):
                for (name, property) in node.properties.sorted(by: { $0.name < $1.name }) {
                    guard let child = o[name], !(isResourceRoot && name == "metadata") else { continue }
                    visit(child, old: oldValue?[name], node: property, path: path.child(name), isResourceRoot: property.embeddedResource)
                }
                if let extra = node.additionalPropertiesSchema {
                    let declared = Set(node.properties.map(\.name))
                    for key in o.keys.sorted() where !declared.contains(key) {
                        visit(o[key] ?? .null, old: oldValue?[key], node: extra, path: path.key(key), isResourceRoot: extra.embeddedResource)
                    }
                }
            case .array(let items):
                guard let itemSchema = node.items else { return }
                let keys = node.listType == "map" ? node.listMapKeys : nil
                let oldItems = oldValue?.arrayValue ?? []
                for (i, item) in items.enumerated() {
                    let oldItem = keys.flatMap { keys in oldItems.first { ListTypeValidation.sameKeys($0, item, keys: keys) } }
                    visit(item, old: oldItem, node: itemSchema, path: path.index(i), isResourceRoot: itemSchema.embeddedResource)
                }
            default: break
            }
        }

        mutating func evaluate(_ rules: [JSONValue], _ value: JSONValue, old: JSONValue?, node: SchemaNode, path: FieldPath, isResourceRoot: Bool) {
            let compiled = CompiledRules.of(node, isResourceRoot: isResourceRoot)
            let selfType = compiled.selfType
            let selfValue = CELValue.from(json: value, type: selfType)
            let oldSelf = old.map { CELValue.from(json: $0, type: selfType) }
            for (rule, result) in zip(rules, compiled.rules) {
                let program: CELProgram
                switch result {
                case .success(let p): program = p
                case .failure(let error):
                    let text = rule["rule"]?.stringValue ?? ""
                    errors.append(FieldError(.invalid, field: Self.field(path), value: .string(node.type ?? ""),
                                             detail: "rule compiler initialization error: \(error) (rule: \(text))"))
                    continue
                }
                if program.usesOldSelf && oldSelf == nil { continue }
                var variables: [String: CELValue] = ["self": selfValue]
                if let oldSelf { variables["oldSelf"] = oldSelf }
                let limit = UInt64(max(0, min(Int64(CELLimits.perCallLimit), budget)))
                let (result, cost) = program.evaluate(variables, costLimit: limit)
                budget -= Int64(clamping: cost)
                switch result {
                case .bool(true): continue
                case .bool(false):
                    errors.append(failure(rule, value, node: node, path: path, variables: variables, selfType: selfType))
                case .error(let error) where budget < 0:
                    _ = error
                    errors.append(FieldError(.invalid, field: Self.field(path), value: .string(node.type ?? ""),
                                             detail: "validation failed due to running out of cost budget, no further validation rules will be run"))
                    return
                case .error(let error):
                    errors.append(FieldError(.invalid, field: Self.field(path), value: .string(node.type ?? ""),
                                             detail: "\(error.message) evaluating rule: \(Self.ruleErrorString(rule))"))
                default:
                    errors.append(FieldError(.invalid, field: Self.field(path), value: .string(node.type ?? ""),
                                             detail: "rule did not evaluate to a bool evaluating rule: \(Self.ruleErrorString(rule))"))
                }
            }
        }

        /// The error of a rule that evaluated to false.
        mutating func failure(
            _ rule: JSONValue, _ value: JSONValue, node: SchemaNode, path: FieldPath, variables: [String: CELValue], selfType: CELDeclType?
        ) -> FieldError {
            var detail = Self.ruleMessageOrDefault(rule)
            if let expression = rule["messageExpression"]?.stringValue, !expression.isEmpty,
               let program = CompiledRules.program(expression, selfType: selfType) {
                let limit = UInt64(max(0, min(Int64(CELLimits.perCallLimit), budget)))
                let (message, cost) = program.evaluate(variables, costLimit: limit)
                budget -= Int64(clamping: cost)
                if case .string(let text) = message, !text.trimmingCharacters(in: .whitespaces).isEmpty, !text.contains("\n"),
                   text.utf8.count <= CELLimits.maxMessageExpressionLength {
                    detail = text
                }
            }
            let field = FieldPath(Self.field(Self.appending(rule["fieldPath"]?.stringValue ?? "", to: path)))
            let shown: JSONValue? = switch value {
            case .object, .array: nil
            default: value
            }
            switch rule["reason"]?.stringValue {
            case "FieldValueForbidden": return FieldError(.forbidden, field: field.description, detail: detail)
            case "FieldValueRequired": return FieldError(.required, field: field.description, detail: detail)
            case "FieldValueDuplicate": return FieldError(.duplicate, field: field.description, value: value)
            default: return FieldError(.invalid, field: field.description, value: shown, detail: detail)
            }
        }

        /// The path as the server names it: the root (a nil path in Go) is `<nil>`.
        static func field(_ path: FieldPath) -> String { path.description.isEmpty ? "<nil>" : path.description }

        /// The rule's message, or the rule itself, trimmed.
        static func ruleErrorString(_ rule: JSONValue) -> String {
            let message = (rule["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces)
            return message.isEmpty ? (rule["rule"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces) : message
        }

        static func ruleMessageOrDefault(_ rule: JSONValue) -> String {
            let message = (rule["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces)
            return message.isEmpty ? "failed rule: " + ruleErrorString(rule) : message
        }

        /// A rule's `fieldPath` (`.spec.a`, `.m['key.with.dots']`) below `path`.
        static func appending(_ fieldPath: String, to path: FieldPath) -> FieldPath {
            var result = path
            var rest = Substring(fieldPath)
            while !rest.isEmpty {
                if rest.hasPrefix(".") {
                    rest = rest.dropFirst()
                    let name = rest.prefix { $0 != "." && $0 != "[" }
                    result = result.child(String(name))
                    rest = rest.dropFirst(name.count)
                } else if rest.hasPrefix("['"), let end = rest.range(of: "']") {
                    result = result.child(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]))
                    rest = rest[end.upperBound...]
                } else {
                    break
                }
            }
            return result
        }
    }
}

/// The compiled rules of schema nodes, kept across requests (a CRD's schema changes rarely;
/// the cache forgets everything when it grows past a bound).
struct CompiledRules: Sendable {
    let selfType: CELDeclType?
    /// One per `x-kubernetes-validations` entry, in order.
    let rules: [Result<CELProgram, CELCompileError>]

    struct Key: Hashable {
        let node: SchemaNode
        let isResourceRoot: Bool
    }

    static let cache = Mutex<[Key: CompiledRules]>([:])
    static let messageCache = Mutex<[String: CELProgram]>([:])
    static let bound = 2048

    static func of(_ node: SchemaNode, isResourceRoot: Bool) -> CompiledRules {
        let key = Key(node: node, isResourceRoot: isResourceRoot)
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let selfType = CELDeclType.from(schema: .object(node.object), isResourceRoot: isResourceRoot)
        let rules = (node.object["x-kubernetes-validations"]?.arrayValue ?? []).map { rule in
            Result { () throws(CELCompileError) -> CELProgram in try CELProgram.compile(rule["rule"]?.stringValue ?? "", selfType: selfType) }
        }
        let compiled = CompiledRules(selfType: selfType, rules: rules)
        cache.withLock { cache in
            if cache.count >= bound { cache.removeAll() }
            cache[key] = compiled
        }
        return compiled
    }

    /// A compiled `messageExpression` (nil when it does not compile: the message falls back).
    static func program(_ expression: String, selfType: CELDeclType?) -> CELProgram? {
        // Object types are compared by identity: the key includes the declaration's.
        let key = expression + "\u{0}" + (selfType.map { String(describing: ObjectIdentifier($0)) } ?? "dyn")
        if let hit = messageCache.withLock({ $0[key] }) { return hit }
        guard let program = try? CELProgram.compile(expression, selfType: selfType) else { return nil }
        messageCache.withLock { cache in
            if cache.count >= bound { cache.removeAll() }
            cache[key] = program
        }
        return program
    }
}
