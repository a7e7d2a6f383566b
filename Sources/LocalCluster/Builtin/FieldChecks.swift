import KubeAPI

/// Collects the field errors of one object, with the helpers the real validation code
/// uses everywhere (`Invalid`, `Required`, `NotSupported` with the supported values,
/// label maps). The checks of each kind are extensions (`FieldChecks+Pod.swift`, …).
struct FieldChecks {
    var errors: [FieldError] = []

    mutating func add(_ kind: FieldError.Kind, _ path: FieldPath, _ value: JSONValue? = nil, _ detail: String = "") {
        errors.append(FieldError(kind, field: path.description, value: value, detail: detail))
    }

    mutating func invalid(_ path: FieldPath, _ value: JSONValue, _ details: [String]) {
        for detail in details { add(.invalid, path, value, detail) }
    }

    mutating func notSupported(_ path: FieldPath, _ value: String, _ supported: [String], required: Bool = true) {
        if value.isEmpty {
            if required { add(.required, path) }
            return
        }
        guard !supported.contains(value) else { return }
        add(.notSupported, path, .string(value), "supported values: " + supported.map { "\"\($0)\"" }.joined(separator: ", "))
    }

    /// `ValidateLabels`: keys are qualified names, values label values; errors name the map.
    mutating func labelMap(_ map: JSONObject?, at path: FieldPath) {
        errors += ObjectMetaValidation.labels(map, at: path)
    }
}
