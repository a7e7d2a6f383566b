import KubeAPI

/// The mutating admission plugins a real API server runs on a new pod, in their order:
/// `ServiceAccount` (default account, its existence, the projected `kube-api-access-*`
/// token volume and its mounts, the account's image pull secrets), `Priority` (priority
/// and preemption policy from the PriorityClass) and `DefaultTolerationSeconds` (five
/// minutes of tolerance for not-ready and unreachable nodes).
enum PodAdmission {
    static let tokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Admits a pod being created; throws the plugin's `403 Forbidden`.
    static func admitCreate(_ pod: inout JSONObject, name: String, context: AdmissionContext) throws(Status) {
        guard var spec = pod["spec"]?.objectValue else { return }
        try serviceAccount(&spec, name: name, context: context)
        try priority(&spec, name: name, context: context)
        defaultTolerations(&spec)
        pod["spec"] = .object(spec.ordered(GoFieldOrder.podSpec))
    }

    // MARK: - ServiceAccount

    static func serviceAccount(_ spec: inout JSONObject, name: String, context: AdmissionContext) throws(Status) {
        if spec.string("serviceAccountName").isEmpty {
            spec["serviceAccountName"] = .string(spec.string("serviceAccount").isEmpty ? "default" : spec.string("serviceAccount"))
        }
        let accountName = spec.string("serviceAccountName")
        spec["serviceAccount"] = .string(accountName)
        let namespace = context.namespace ?? ""
        guard let account = context.lookup(.serviceAccounts, namespace: namespace, name: accountName) else {
            throw AdmissionError.forbidden(
                .pods, name: name,
                "error looking up service account \(namespace)/\(accountName): serviceaccount \"\(accountName)\" not found")
        }
        let automount = spec["automountServiceAccountToken"]?.boolValue ?? account["automountServiceAccountToken"]?.boolValue ?? true
        if automount { mountToken(&spec, volumeName: "kube-api-access-" + context.nameSuffix()) }
        if spec.objects("imagePullSecrets").isEmpty, let secrets = account["imagePullSecrets"]?.arrayValue, !secrets.isEmpty {
            spec["imagePullSecrets"] = .array(secrets)
        }
    }

    /// Adds the projected token volume and mounts it in every container that has nothing
    /// mounted at the token path yet (`mountServiceAccountToken` of the plugin).
    static func mountToken(_ spec: inout JSONObject, volumeName: String) {
        let mount: JSONValue = ["name": .string(volumeName), "readOnly": true, "mountPath": .string(tokenMountPath)]
        var needsVolume = false
        for key in ["initContainers", "containers"] {
            spec.editEach(key) { container in
                if container.objects("volumeMounts").contains(where: { $0.string("mountPath") == tokenMountPath }) { return }
                container["volumeMounts"] = .array((container["volumeMounts"]?.arrayValue ?? []) + [mount])
                container = container.ordered(GoFieldOrder.container)
                needsVolume = true
            }
        }
        guard needsVolume else { return }
        spec["volumes"] = .array((spec["volumes"]?.arrayValue ?? []) + [tokenVolume(named: volumeName)])
    }

    /// The volume of `TokenVolumeSource`: a bound token, the cluster CA and the namespace.
    static func tokenVolume(named name: String) -> JSONValue {
        [
            "name": .string(name),
            "projected": [
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
                ],
                "defaultMode": 420,
            ],
        ]
    }

    // MARK: - Priority

    /// The classes every cluster has (`scheduling.k8s.io/v1` PriorityClasses made at start).
    static let systemPriorityClasses: [String: Int64] = ["system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000]

    static func priority(_ spec: inout JSONObject, name: String, context: AdmissionContext) throws(Status) {
        let className = spec.string("priorityClassName")
        var value: Int64 = 0
        var preemption = "PreemptLowerPriority"
        if !className.isEmpty {
            guard let priorityClass = context.lookup(.priorityClasses, namespace: nil, name: className) else {
                throw AdmissionError.forbidden(.pods, name: name, "no PriorityClass with name \(className) was found")
            }
            value = priorityClass["value"]?.numberValue?.int64 ?? 0
            preemption = priorityClass["preemptionPolicy"]?.stringValue ?? preemption
        }
        if let given = spec["priority"]?.numberValue?.int64, given != value {
            throw AdmissionError.forbidden(
                .pods, name: name,
                "the integer value of priority (\(given)) must not be provided in pod spec; priority admission controller computed \(value) from the given PriorityClass name")
        }
        spec["priority"] = .number(JSONNumber(value))
        if spec["preemptionPolicy"] == nil { spec["preemptionPolicy"] = .string(preemption) }
    }

    // MARK: - DefaultTolerationSeconds

    static let defaultTolerationKeys = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]

    static func defaultTolerations(_ spec: inout JSONObject) {
        var tolerations = spec["tolerations"]?.arrayValue ?? []
        let existing = tolerations.compactMap(\.objectValue)
        for key in defaultTolerationKeys {
            let tolerated = existing.contains { t in
                let k = t.string("key")
                let effect = t.string("effect")
                return (k == key || k.isEmpty) && (effect == "NoExecute" || effect.isEmpty)
            }
            if !tolerated {
                tolerations.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300])
            }
        }
        if !tolerations.isEmpty { spec["tolerations"] = .array(tolerations) }
    }
}
