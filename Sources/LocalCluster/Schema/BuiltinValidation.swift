import KubeAPI

/// Name checks of built-in kinds, with the real server's messages: RFC 1123 labels for
/// namespaces and services, subdomains for the rest, and the same for `generateName`
/// prefixes. (The rules of each kind are in ``BuiltinAdmission``.)
public enum BuiltinValidation {
    /// Errors for a new object of a built-in resource (`plural` as in `pods`, `namespaces`),
    /// defaulted first as the real server does, without admission.
    public static func validate(_ object: JSONValue, plural: String) -> [FieldError] {
        guard case .object(var o) = object, let type = BuiltinResources.all.first(where: { $0.plural == plural })?.type else {
            return nameErrors(object, plural: plural)
        }
        BuiltinAdmission.defaults(type, &o, old: nil)
        var context = AdmissionContext(store: ObjectStore(), operation: .create, namespace: nil, nameSuffix: { "abcde" })
        return BuiltinAdmission.validate(type, o, old: nil, context: &context)
    }

    /// `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of …`.
    public static func nameErrors(_ object: JSONValue, plural: String) -> [FieldError] {
        ObjectMetaValidation.names(object["metadata"]?.objectValue ?? JSONObject(), required: false) { nameMessages($0, plural: plural) }
    }

    /// Namespaces and services are named by RFC 1123 labels (a name that would be a valid
    /// subdomain but for its dots is told so); everything else by RFC 1123 subdomains.
    static func nameMessages(_ name: String, plural: String) -> [String] {
        guard plural == "namespaces" || plural == "services" else { return NameValidation.dns1123Subdomain(name) }
        if name.contains("."), name.count <= 63, NameValidation.dns1123Subdomain(name).isEmpty { return ["must not contain dots"] }
        return NameValidation.dns1123Label(name)
    }
}
