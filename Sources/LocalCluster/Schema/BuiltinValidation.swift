import KubeAPI

/// The few checks the local server applies to built-in kinds, with the real server's
/// messages: object names (RFC 1123 label for namespaces, subdomain for the rest) and a
/// pod's containers (`spec.containers: Required value`, `spec.containers[0].image: Required value`).
public enum BuiltinValidation {
    /// Errors for an object of a built-in resource (`plural` as in `pods`, `namespaces`).
    public static func validate(_ object: JSONValue, plural: String) -> [FieldError] {
        var errors = nameErrors(object, plural: plural)
        if plural == "pods" { errors += podErrors(object) }
        return errors
    }

    /// `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of …`.
    public static func nameErrors(_ object: JSONValue, plural: String) -> [FieldError] {
        guard let name = object[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else { return [] }
        let messages = plural == "namespaces" ? NameValidation.dns1123Label(name) : NameValidation.dns1123Subdomain(name)
        return messages.map { FieldError(.invalid, field: "metadata.name", value: .string(name), detail: $0) }
    }

    /// A pod needs at least one container, each with a name and an image.
    public static func podErrors(_ pod: JSONValue) -> [FieldError] {
        let containers = pod[path: ["spec", "containers"]]?.arrayValue ?? []
        if containers.isEmpty { return [FieldError(.required, field: "spec.containers")] }
        var errors: [FieldError] = []
        let path = FieldPath("spec.containers")
        for (i, container) in containers.enumerated() {
            let name = container["name"]?.stringValue ?? ""
            if name.isEmpty {
                errors.append(FieldError(.required, field: path.index(i).child("name").description))
            } else {
                errors += NameValidation.dns1123Label(name).map {
                    FieldError(.invalid, field: path.index(i).child("name").description, value: .string(name), detail: $0)
                }
            }
            if (container["image"]?.stringValue ?? "").isEmpty {
                errors.append(FieldError(.required, field: path.index(i).child("image").description))
            }
        }
        return errors
    }
}
