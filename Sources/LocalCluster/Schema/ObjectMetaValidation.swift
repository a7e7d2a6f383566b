import KubeAPI

/// The API server's checks of `metadata` shared by every kind (apimachinery's
/// `ValidateObjectMetaAccessor`): the name (or `generateName` prefix), label keys and
/// values, annotation keys and their total size, owner references and finalizer names.
/// Core kinds add one rule of their own: an unqualified finalizer must be a standard one.
public enum ObjectMetaValidation {
    /// The total size of a object's annotations (keys and values, in bytes).
    public static let totalAnnotationSizeLimit = 256 * 1024

    /// The finalizer names a core object may carry without a `/` prefix.
    static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]

    /// Errors for `metadata` of an object about to be stored, in the server's order.
    /// `nameRules` returns the messages for a name (or a `generateName` prefix); the
    /// name itself is required (after a `generateName` has been turned into one).
    public static func validate(
        _ object: JSONObject, core: Bool = false, checkName: Bool = true, nameRules: (String) -> [String] = NameValidation.dns1123Subdomain
    ) -> [FieldError] {
        let meta = object["metadata"]?.objectValue ?? JSONObject()
        let path = FieldPath("metadata")
        var errors: [FieldError] = []
        if checkName { errors += names(meta, required: true, rules: nameRules) }
        if let generation = meta["generation"]?.numberValue?.int64, generation < 0 {
            errors.append(FieldError(.invalid, field: "metadata.generation", value: .number(JSONNumber(generation)), detail: "must be greater than or equal to 0"))
        }
        errors += labels(meta["labels"]?.objectValue, at: path.child("labels"))
        errors += annotations(meta["annotations"]?.objectValue, at: path.child("annotations"))
        errors += ownerReferences(meta["ownerReferences"]?.arrayValue, at: path.child("ownerReferences"))
        errors += finalizers(meta["finalizers"]?.arrayValue, at: path.child("finalizers"), core: core)
        return errors
    }

    /// The `generateName` prefix (checked as if a letter followed a final dash) and the name;
    /// a missing name is an error when `required`.
    static func names(_ meta: JSONObject, required: Bool, rules: (String) -> [String]) -> [FieldError] {
        var errors: [FieldError] = []
        if let prefix = meta["generateName"]?.stringValue, !prefix.isEmpty {
            let masked = prefix.hasSuffix("-") ? String(prefix.dropLast()) + "a" : prefix
            errors += rules(masked).map { FieldError(.invalid, field: "metadata.generateName", value: .string(prefix), detail: $0) }
        }
        if let name = meta["name"]?.stringValue, !name.isEmpty {
            errors += rules(name).map { FieldError(.invalid, field: "metadata.name", value: .string(name), detail: $0) }
        } else if required {
            errors.append(FieldError(.required, field: "metadata.name", detail: "name or generateName is required"))
        }
        return errors
    }

    /// `ValidateLabels`: keys are qualified names, values label values; errors name the map.
    static func labels(_ labels: JSONObject?, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in labels ?? JSONObject() {
            errors += ValidationRules.qualifiedName(key).map { FieldError(.invalid, field: path.description, value: .string(key), detail: $0) }
            let text = value.stringValue ?? ""
            errors += ValidationRules.labelValue(text).map { FieldError(.invalid, field: path.description, value: .string(text), detail: $0) }
        }
        return errors
    }

    /// `ValidateAnnotations`: keys are qualified names (case does not matter), and all keys
    /// and values together at most 256 KiB.
    static func annotations(_ annotations: JSONObject?, at path: FieldPath) -> [FieldError] {
        guard let annotations else { return [] }
        var errors: [FieldError] = []
        var size = 0
        for (key, value) in annotations {
            errors += ValidationRules.qualifiedName(key.lowercased()).map { FieldError(.invalid, field: path.description, value: .string(key), detail: $0) }
            size += key.utf8.count + (value.stringValue?.utf8.count ?? 0)
        }
        if size > totalAnnotationSizeLimit {
            errors.append(FieldError(.tooLong, field: path.description, detail: "may not be more than \(totalAnnotationSizeLimit) bytes"))
        }
        return errors
    }

    /// `ValidateOwnerReferences`: apiVersion (with a version), kind, name and uid of each, and
    /// at most one controller.
    static func ownerReferences(_ references: [JSONValue]?, at path: FieldPath) -> [FieldError] {
        guard let references else { return [] }
        var errors: [FieldError] = []
        var firstController: String?
        for reference in references {
            let apiVersion = reference["apiVersion"]?.stringValue ?? ""
            let version = apiVersion.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            let hasVersion = apiVersion.split(separator: "/", omittingEmptySubsequences: false).count <= 2 && !version.isEmpty
            if !hasVersion {
                errors.append(FieldError(.invalid, field: path.child("apiVersion").description, value: .string(apiVersion), detail: "version must not be empty"))
            }
            for key in ["kind", "name", "uid"] where (reference[key]?.stringValue ?? "").isEmpty {
                errors.append(FieldError(.invalid, field: path.child(key).description, value: .string(""), detail: "must not be empty"))
            }
            guard reference["controller"]?.boolValue == true else { continue }
            let current = (reference["kind"]?.stringValue ?? "") + "/" + (reference["name"]?.stringValue ?? "")
            if let firstController {
                errors.append(FieldError(
                    .invalid, field: path.description, value: .array(references),
                    detail: "Only one reference can have Controller set to true. Found \"true\" in references for \(firstController) and \(current)"))
            } else {
                firstController = current
            }
        }
        return errors
    }

    /// `ValidateFinalizers`: qualified names, not both `orphan` and `foregroundDeletion`;
    /// for core kinds an unqualified name must be a standard one.
    static func finalizers(_ finalizers: [JSONValue]?, at path: FieldPath, core: Bool) -> [FieldError] {
        guard let finalizers else { return [] }
        let names = finalizers.map { $0.stringValue ?? "" }
        var errors: [FieldError] = []
        for name in names {
            errors += ValidationRules.qualifiedName(name).map { FieldError(.invalid, field: path.description, value: .string(name), detail: $0) }
        }
        if names.contains("orphan") && names.contains("foregroundDeletion") {
            errors.append(FieldError(.invalid, field: path.description, value: .array(finalizers), detail: "finalizer orphan and foregroundDeletion cannot be both set"))
        }
        if core {
            for (i, name) in names.enumerated() where !name.contains("/") && !standardFinalizers.contains(name) {
                errors.append(FieldError(.invalid, field: path.index(i).description, value: .string(name), detail: "name is neither a standard finalizer name nor is it fully qualified"))
            }
        }
        return errors
    }
}
