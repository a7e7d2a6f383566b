import KubeAPI

/// Small editing helpers for the built-in kinds' defaulting and admission, which work on
/// the raw JSON (so that fields the local server does not know are kept as sent).
extension JSONObject {
    /// Edits the object at `key` (created empty when absent or not an object).
    mutating func editObject(_ key: String, _ body: (inout JSONObject) -> Void) {
        var child = self[key]?.objectValue ?? JSONObject()
        body(&child)
        self[key] = .object(child)
    }

    /// Edits the object at `key` only when it is present.
    mutating func editObjectIfPresent(_ key: String, _ body: (inout JSONObject) -> Void) {
        guard var child = self[key]?.objectValue else { return }
        body(&child)
        self[key] = .object(child)
    }

    /// Edits every object element of the list at `key` (others are kept as they are).
    mutating func editEach(_ key: String, _ body: (inout JSONObject) -> Void) {
        guard let items = self[key]?.arrayValue else { return }
        self[key] = .array(items.map { item in
            guard var element = item.objectValue else { return item }
            body(&element)
            return .object(element)
        })
    }

    /// Sets `key` to `value` when it is absent (or `null`).
    mutating func setDefault(_ key: String, _ value: JSONValue) {
        if self[key] == nil || self[key]?.isNull == true { self[key] = value }
    }

    /// The string at `key`, or "" when absent.
    func string(_ key: String) -> String { self[key]?.stringValue ?? "" }

    /// The object elements of the list at `key`.
    func objects(_ key: String) -> [JSONObject] { self[key]?.arrayValue?.compactMap(\.objectValue) ?? [] }

    /// A copy whose keys come in `order` first (those present), then the others as they were:
    /// the field order of the Go type the real server serialises.
    func ordered(_ order: [String]) -> JSONObject {
        var result = JSONObject()
        for key in order { if let value = self[key] { result[key] = value } }
        for (key, value) in self where result[key] == nil { result[key] = value }
        return result
    }
}

/// Field orders of the Go API types, so defaulted objects read as the real server writes them.
enum GoFieldOrder {
    static let object = ["kind", "apiVersion", "metadata", "spec", "status"]
    static let metadata = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ]
    static let podSpec = [
        "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds",
        "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount", "automountServiceAccountToken",
        "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname",
        "subdomain", "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority", "dnsConfig",
        "readinessGates", "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints",
        "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources",
    ]
    static let container = [
        "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy", "restartPolicy",
        "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath",
        "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty",
    ]
    static let serviceSpec = [
        "ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP",
        "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort", "publishNotReadyAddresses",
        "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass",
        "internalTrafficPolicy", "trafficDistribution",
    ]
}
