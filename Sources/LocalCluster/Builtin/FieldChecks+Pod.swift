import KubeAPI

/// The real API server's validation of a pod's spec (`ValidatePodSpec` in
/// `pkg/apis/core/validation`), run on the defaulted and admitted pod. Metadata (name,
/// labels, annotations, finalizers, owner references) is checked by the generic object
/// rules; this holds what is particular to pods: containers, volumes and scheduling.
extension FieldChecks {
    /// Errors of a pod being created (or of the new pod of an update).
    static func validatePod(_ pod: JSONObject) -> [FieldError] {
        var v = FieldChecks()
        v.podSpec(pod["spec"]?.objectValue ?? JSONObject(), at: FieldPath("spec"))
        return v.errors
    }

    // MARK: - Spec

    mutating func podSpec(_ spec: JSONObject, at path: FieldPath) {
        let volumeNames = volumes(spec.objects("volumes"), at: path.child("volumes"))
        let containers = spec.objects("containers")
        if containers.isEmpty { add(.required, path.child("containers")) }
        let hostNetwork = spec["hostNetwork"]?.boolValue == true
        var names = Set<String>()
        for (i, container) in containers.enumerated() {
            self.container(container, at: path.child("containers").index(i), volumes: volumeNames, names: &names, hostNetwork: hostNetwork)
        }
        for (i, container) in spec.objects("initContainers").enumerated() {
            self.container(container, at: path.child("initContainers").index(i), volumes: volumeNames, names: &names, hostNetwork: hostNetwork)
            // Sidecars (KEP-753): an init container's restartPolicy may only be Always.
            notSupported(path.child("initContainers").index(i).child("restartPolicy"), container.string("restartPolicy"), ["Always"], required: false)
        }
        notSupported(path.child("restartPolicy"), spec.string("restartPolicy"), ["Always", "OnFailure", "Never"])
        notSupported(path.child("dnsPolicy"), spec.string("dnsPolicy"), ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])
        if spec.string("dnsPolicy") == "None", spec["dnsConfig"] == nil {
            add(.required, path.child("dnsConfig"), nil, "must provide `dnsConfig` when `dnsPolicy` is None")
        }
        labelMap(spec["nodeSelector"]?.objectValue, at: path.child("nodeSelector"))
        referencedNames(spec, at: path)
        if let deadline = spec["activeDeadlineSeconds"]?.numberValue?.int64 {
            invalid(path.child("activeDeadlineSeconds"), .number(JSONNumber(deadline)), ValidationRules.inclusiveRange(deadline, 1, 2_147_483_647))
        }
        tolerations(spec.objects("tolerations"), at: path.child("tolerations"))
        if let affinity = spec["affinity"]?.objectValue { self.affinity(affinity, at: path.child("affinity")) }
        if let context = spec["securityContext"]?.objectValue { securityContext(context, at: path.child("securityContext")) }
        for (i, secret) in spec.objects("imagePullSecrets").enumerated() where secret.string("name").isEmpty {
            add(.required, path.child("imagePullSecrets").index(i).child("name"))
        }
    }

    /// Names of other things the spec refers to: node, service account, priority class,
    /// host name and subdomain.
    mutating func referencedNames(_ spec: JSONObject, at path: FieldPath) {
        for field in ["nodeName", "serviceAccountName", "priorityClassName"] where !spec.string(field).isEmpty {
            invalid(path.child(field), .string(spec.string(field)), NameValidation.dns1123Subdomain(spec.string(field)))
        }
        for field in ["hostname", "subdomain"] where !spec.string(field).isEmpty {
            invalid(path.child(field), .string(spec.string(field)), NameValidation.dns1123Label(spec.string(field)))
        }
    }

    mutating func securityContext(_ context: JSONObject, at path: FieldPath) {
        for field in ["runAsUser", "runAsGroup", "fsGroup"] {
            guard let id = context[field]?.numberValue?.int64 else { continue }
            invalid(path.child(field), .number(JSONNumber(id)), ValidationRules.inclusiveRange(id, 0, 2_147_483_647))
        }
        for (i, group) in (context["supplementalGroups"]?.arrayValue ?? []).enumerated() {
            guard let id = group.numberValue?.int64 else { continue }
            invalid(path.child("supplementalGroups").index(i), .number(JSONNumber(id)), ValidationRules.inclusiveRange(id, 0, 2_147_483_647))
        }
    }
}
