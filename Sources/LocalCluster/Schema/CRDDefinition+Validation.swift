import KubeAPI

extension CRDDefinition {
    /// What the real server refuses in a CRD (create or update), in its order: metadata.name,
    /// spec.group, spec.scope, each version (name, schema presence, structural schema),
    /// the storage-version count, names. Empty means acceptable.
    ///
    /// Values the server prints with Go's `%#v` (the whole `spec.versions` list) are shown
    /// as compact JSON here.
    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        errors += NameValidation.dns1123Subdomain(name).map { FieldError(.invalid, field: "metadata.name", value: .string(name), detail: $0) }
        if name != plural + "." + group {
            errors.append(FieldError(.invalid, field: "metadata.name", value: .string(name), detail: #"must be spec.names.plural+"."+spec.group"#))
        }
        errors += validateGroupAndScope()
        for (i, version) in versions.enumerated() {
            errors += validate(version, at: FieldPath("spec.versions").index(i))
        }
        if versions.filter(\.storage).count != 1 {
            errors.append(FieldError(.invalid, field: "spec.versions", value: versionsJSON, detail: "must have exactly one version marked as storage version"))
        }
        errors += validateNames()
        return errors
    }

    /// `422 Invalid` for this CRD: `CustomResourceDefinition.apiextensions.k8s.io "x" is invalid: …`.
    public func invalidStatus(_ errors: [FieldError]) -> Status {
        StoreErrors.invalid(.customResourceDefinitions, name: name, causes: errors.causes)
    }

    func validateGroupAndScope() -> [FieldError] {
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

    func validate(_ version: Version, at path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let nameErrors = NameValidation.dns1035Label(version.name)
        if !nameErrors.isEmpty {
            errors.append(FieldError(.invalid, field: path.child("name").description, value: .string(version.name), detail: nameErrors.joined(separator: ",")))
        }
        let schemaPath = path.child("schema").child("openAPIV3Schema")
        guard let schema = version.schema else {
            errors.append(FieldError(.required, field: schemaPath.description, detail: "schemas are required"))
            return errors
        }
        guard let node = SchemaNode(schema) else {
            errors.append(FieldError(.invalid, field: schemaPath.description, value: schema, detail: "must be an object"))
            return errors
        }
        errors += StructuralSchemaCheck.validate(node, at: schemaPath)
        if version.hasStatusSubresource, let type = node.type, type != "object" {
            errors.append(FieldError(.invalid, field: schemaPath.child("type").description, value: .string(type),
                                     detail: #"only "object" is allowed as the type at the root of the schema if the status subresource is enabled"#))
        }
        return errors
    }

    func validateNames() -> [FieldError] {
        var errors: [FieldError] = []
        let required: [(String, String)] = [("plural", plural), ("singular", singular), ("kind", kind), ("listKind", listKind)]
        for (field, value) in required where value.isEmpty {
            errors.append(FieldError(.required, field: "spec.names.\(field)"))
        }
        func label(_ field: String, _ value: String, prefix: String = "", lower: Bool = false) {
            let msgs = NameValidation.dns1035Label(lower ? value.lowercased() : value)
            if !value.isEmpty && !msgs.isEmpty {
                errors.append(FieldError(.invalid, field: "spec.names.\(field)", value: .string(value), detail: prefix + msgs.joined(separator: ",")))
            }
        }
        label("plural", plural)
        label("singular", singular)
        label("kind", kind, prefix: "may have mixed case, but should otherwise match: ", lower: true)
        label("listKind", listKind, prefix: "may have mixed case, but should otherwise match: ", lower: true)
        for (i, short) in shortNames.enumerated() { label("shortNames[\(i)]", short) }
        if !kind.isEmpty && kind == listKind {
            errors.append(FieldError(.invalid, field: "spec.names.listKind", value: .string(listKind), detail: "kind and listKind may not be the same"))
        }
        for (i, category) in categories.enumerated() { label("categories[\(i)]", category) }
        return errors
    }

    var versionsJSON: JSONValue {
        .array(versions.map { v in ["name": .string(v.name), "served": .bool(v.served), "storage": .bool(v.storage)] })
    }
}
