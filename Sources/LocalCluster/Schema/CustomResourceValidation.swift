import KubeAPI

/// Everything the API server checks of a custom resource before storing it, in its order
/// (apiextensions' `customResourceStrategy.Validate`/`ValidateUpdate`): `metadata`
/// (``ObjectMetaValidation``), the OpenAPI schema (``SchemaValidator``), list-set and
/// list-map uniqueness (``ListTypeValidation``), then, when the schema has any CEL rules,
/// those rules (``SchemaRuleValidator``) — unless an earlier error is one that makes them
/// meaningless (a wrong type, a missing required field, a value outside its enum, too long
/// or too many), in which case one `<nil>` cause says the rules were not checked.
public enum CustomResourceValidation {
    /// The errors of `object` as it would be stored (`old`: the stored object, for an update).
    public static func validate(_ object: JSONObject, old: JSONObject?, schema: SchemaNode) -> [FieldError] {
        var errors = ObjectMetaValidation.validate(object, checkName: old == nil)
        var body = object
        for key in ["apiVersion", "kind", "metadata"] { body.removeValue(forKey: key) }
        var schemaErrors = SchemaValidator(schema: schema).validate(.object(object))
        schemaErrors += ListTypeValidation.validate(.object(body), node: schema)
        if let old {
            // Ratcheting: what the update did not change is not held against it.
            schemaErrors.removeAll { error in
                error.valuePath.map { ValidationRatcheting.unchanged($0, new: .object(object), old: .object(old), schema: schema) } ?? false
            }
        }
        errors += schemaErrors
        guard SchemaRuleValidator.hasRules(schema) else { return errors }
        if errors.contains(where: { blocking.contains($0.kind) }) {
            errors.append(FieldError.rulesNotChecked)
        } else {
            errors += SchemaRuleValidator(schema: schema).validate(.object(object), old: old.map { .object($0) })
        }
        return errors
    }

    /// The kinds of errors after which the server does not evaluate CEL rules.
    static let blocking: Set<FieldError.Kind> = [.notSupported, .required, .tooLong, .tooMany, .typeInvalid]
}

extension FieldError {
    /// The path of the value the error is about: its field, or for the validator's `<nil>`
    /// errors the path their text names (`… in spec.replicas`, `spec.port in body must …`).
    var valuePath: String? {
        if field != "<nil>" { return field }
        if let range = detail.range(of: " in body ") { return String(detail[..<range.lowerBound]) }
        if detail.hasPrefix("Checked value"), let range = detail.range(of: " in ", options: .backwards) { return String(detail[range.upperBound...]) }
        return nil
    }

    /// `<nil>: Invalid value: null: some validation rules were not checked …` (the server's
    /// error has no field and a nil value, which Go prints bare).
    public static let rulesNotChecked = FieldError(
        .invalid, field: "<nil>",
        detail: "null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")
}
