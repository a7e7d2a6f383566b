import Foundation
import KubeAPI

extension SchemaValidator {
    /// maxLength, minLength, pattern (lengths in characters, as the server counts runes).
    func stringChecks(_ s: String, _ node: SchemaNode, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let length = s.unicodeScalars.count
        if let max = node.maxLength, length > max {
            errors.append(FieldError(.tooLong, field: path.description, value: .string(s), detail: "may not be more than \(max) \(max == 1 ? "byte" : "bytes")"))
        }
        if let min = node.minLength, length < min {
            errors.append(FieldError(.invalid, field: path.description, value: .string(s), detail: "\(path) in body should be at least \(min) chars long"))
        }
        if let pattern = node.pattern, !Self.matches(s, pattern: pattern) {
            errors.append(FieldError(.invalid, field: path.description, value: .string(s), detail: "\(path) in body should match '\(pattern)'"))
        }
        return errors
    }

    /// An unanchored regular-expression search, as Go's `regexp.MatchString`.
    static func matches(_ s: String, pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
        return regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// The string formats the server checks (others are accepted as they come).
    func formatCheck(_ s: String, _ node: SchemaNode, _ path: FieldPath) -> [FieldError] {
        guard let format = node.format, let pattern = Self.formatPatterns[format] else { return [] }
        if Self.matches(s, pattern: pattern) { return [] }
        return [FieldError(.typeInvalid, field: path.description, value: .string(s),
                           detail: "\(path) in body must be of type \(format): \(FieldError.quote(s))")]
    }

    static let formatPatterns: [String: String] = [
        "date-time": #"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#,
        "datetime": #"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"#,
        "date": #"^\d{4}-\d{2}-\d{2}$"#,
        "uuid": #"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"#,
        "byte": #"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"#,
        "ipv4": #"^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$"#,
    ]

    /// multipleOf, maximum, minimum (with their exclusive forms).
    func numberChecks(_ n: JSONNumber, _ node: SchemaNode, _ path: FieldPath) -> [FieldError] {
        guard let d = n.double else { return [] }
        var errors: [FieldError] = []
        let value = JSONValue.number(n)
        if let m = node.multipleOf, m != 0, (d / m).rounded() != d / m {
            errors.append(FieldError(.invalid, field: path.description, value: value, detail: "\(path) in body should be a multiple of \(node.numberText("multipleOf"))"))
        }
        if let max = node.maximum, node.exclusiveMaximum ? d >= max : d > max {
            let relation = node.exclusiveMaximum ? "less than" : "less than or equal to"
            errors.append(FieldError(.invalid, field: path.description, value: value, detail: "\(path) in body should be \(relation) \(node.numberText("maximum"))"))
        }
        if let min = node.minimum, node.exclusiveMinimum ? d <= min : d < min {
            let relation = node.exclusiveMinimum ? "greater than" : "greater than or equal to"
            errors.append(FieldError(.invalid, field: path.description, value: value, detail: "\(path) in body should be \(relation) \(node.numberText("minimum"))"))
        }
        return errors
    }

    /// items (each element at `path[i]`), then minItems, maxItems, uniqueItems.
    func arrayChecks(_ items: [JSONValue], _ node: SchemaNode, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if let itemSchema = node.items {
            for (i, item) in items.enumerated() {
                errors += validate(item, against: itemSchema, at: path.index(i))
            }
        }
        let count = JSONValue.number(JSONNumber(items.count))
        if let min = node.minItems, items.count < min {
            errors.append(FieldError(.invalid, field: path.description, value: count, detail: "\(path) in body should have at least \(min) items"))
        }
        if let max = node.maxItems, items.count > max {
            errors.append(FieldError(.tooMany, field: path.description, value: count, detail: "must have at most \(max) items"))
        }
        if node.uniqueItems, Self.hasDuplicates(items) {
            errors.append(FieldError(.invalid, field: path.description, value: .string(""), detail: "\(path) in body shouldn't contain duplicates"))
        }
        return errors
    }

    static func hasDuplicates(_ items: [JSONValue]) -> Bool {
        for i in items.indices {
            for j in items.indices where j > i && equal(items[i], items[j]) { return true }
        }
        return false
    }

    /// minProperties/maxProperties, additionalProperties, properties (by name), required,
    /// and for embedded resources the `apiVersion`/`kind` the server requires.
    func objectChecks(_ o: JSONObject, _ node: SchemaNode, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if let min = node.minProperties, o.count < min {
            errors.append(FieldError(.invalid, field: path.description, value: .number(JSONNumber(o.count)), detail: "\(path) in body should have at least \(min) properties"))
        }
        if let max = node.maxProperties, o.count > max {
            errors.append(FieldError(.tooMany, field: path.description, value: .number(JSONNumber(o.count)), detail: "must have at most \(max) items"))
        }
        let declared = Set(node.properties.map(\.name))
        for key in o.keys.sorted() where !declared.contains(key) {
            switch node.additionalProperties {
            case .schema(let s)?:
                errors += validate(o[key] ?? .null, against: s, at: path.child(key))
            case .allowed(false)? where !(node.embeddedResource && Self.embeddedKeys.contains(key)):
                errors.append(FieldError(.invalid, field: path.child(key).description, value: .string(""), detail: "\(path.child(key)) in body is a forbidden property"))
            default: break
            }
        }
        for (name, schema) in node.properties.sorted(by: { $0.name < $1.name }) {
            if let v = o[name] { errors += validate(v, against: schema, at: path.child(name)) }
        }
        for name in node.required where o[name] == nil {
            errors.append(FieldError(.required, field: path.child(name).description))
        }
        if node.embeddedResource {
            for key in ["kind", "apiVersion"] where (o[key]?.stringValue ?? "").isEmpty {
                errors.append(FieldError(.required, field: path.child(key).description, detail: "must not be empty"))
            }
        }
        return errors
    }

    static let embeddedKeys: Set<String> = ["apiVersion", "kind", "metadata"]
}
