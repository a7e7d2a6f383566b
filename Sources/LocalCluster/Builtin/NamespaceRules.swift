import KubeAPI

/// Namespaces: the `kubernetes.io/metadata.name` label, the `kubernetes` finalizer that
/// the namespace controller removes once the namespace is empty, the phase (`Active`,
/// then `Terminating` once deleted), and the finalizer names of `spec` and of the
/// `finalize` subresource.
enum NamespaceRules {
    /// The finalizer of the namespace controller.
    static let kubernetesFinalizer = "kubernetes"
    /// Namespaces a real server refuses to delete (`this namespace may not be deleted`).
    static let immortal: Set<String> = ["default", "kube-system", "kube-public"]
    /// Finalizer names that need no domain.
    static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]

    /// `SetDefaults_Namespace`: the name label.
    static func applyDefaults(_ namespace: inout JSONObject) {
        if let name = namespace.meta("name")?.stringValue, !name.isEmpty {
            var labels = namespace.meta("labels")?.objectValue ?? JSONObject()
            labels["kubernetes.io/metadata.name"] = .string(name)
            namespace.setMeta("labels", .object(labels))
        }
    }

    /// The strategy's `PrepareForCreate`: the `kubernetes` finalizer and phase `Active`.
    static func prepareForCreate(_ namespace: inout JSONObject) {
        namespace["status"] = ["phase": "Active"]
        namespace.editObject("spec") { spec in
            let finalizers = spec["finalizers"]?.arrayValue ?? []
            if !finalizers.contains(.string(kubernetesFinalizer)) { spec["finalizers"] = .array(finalizers + [.string(kubernetesFinalizer)]) }
        }
    }

    /// `ValidateNamespace`: the spec's finalizers (errors name the list, not the entry).
    static func validate(_ namespace: JSONObject) -> [FieldError] {
        let finalizers = namespace["spec"]?["finalizers"]?.arrayValue ?? []
        return finalizers.flatMap { finalizerErrors($0.stringValue ?? "", at: "spec.finalizers") }
    }

    /// `ValidateNamespaceFinalizeUpdate`: errors name each entry.
    static func validateFinalize(_ namespace: JSONObject) -> [FieldError] {
        let finalizers = namespace["spec"]?["finalizers"]?.arrayValue ?? []
        return finalizers.enumerated().flatMap { i, f in finalizerErrors(f.stringValue ?? "", at: "spec.finalizers[\(i)]") }
    }

    /// `ValidateFinalizerName`: a qualified name, with a domain unless it is a standard one.
    static func finalizerErrors(_ name: String, at field: String) -> [FieldError] {
        var errors = ValidationRules.qualifiedName(name).map { FieldError(.invalid, field: field, value: .string(name), detail: $0) }
        if !name.contains("/"), !standardFinalizers.contains(name) {
            errors.append(FieldError(.invalid, field: field, value: .string(name), detail: "name is neither a standard finalizer name nor is it fully qualified"))
        }
        return errors
    }

    /// The namespace as `namespaces/finalize` leaves it: only the spec's finalizers change.
    static func finalized(_ current: JSONObject, with body: JSONObject) -> JSONObject {
        var result = current
        let finalizers = body["spec"]?["finalizers"]?.arrayValue ?? []
        result.editObject("spec") { spec in
            if finalizers.isEmpty { spec.removeValue(forKey: "finalizers") } else { spec["finalizers"] = .array(finalizers) }
        }
        return result
    }

    /// Whether the namespace is gone for good: being deleted with no finalizer left.
    static func isFinalized(_ namespace: JSONObject) -> Bool {
        namespace.meta("deletionTimestamp") != nil && (namespace["spec"]?["finalizers"]?.arrayValue ?? []).isEmpty
            && (namespace.meta("finalizers")?.arrayValue ?? []).isEmpty
    }
}
