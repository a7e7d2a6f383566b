import KubeAPI

/// The structure of the built-in kinds as managed fields see it: which objects are maps
/// (labels, selectors, resource lists, data), which lists are keyed and by what
/// (`x-kubernetes-list-map-keys` of the real OpenAPI), which references are atomic.
extension ApplySchema {
    /// `map[string]string` and resource lists.
    static let stringMap = ApplySchema.structure([:], others: .atomic)

    static let objectMeta = ApplySchema.structure(
        [
            "labels": stringMap, "annotations": stringMap, "ownerReferences": .mapList(keys: ["uid"], item: .plain),
            "finalizers": .set,
        ], others: nil)

    /// `protocol`, a key of port lists, defaults to TCP (the real OpenAPI's `default`).
    static let tcp: [String: JSONValue] = ["protocol": .string("TCP")]

    static let resources = ApplySchema.structure(["limits": stringMap, "requests": stringMap], others: nil)

    static let container = ApplySchema.structure(
        [
            "env": .mapList(keys: ["name"], item: .plain), "ports": .mapList(keys: ["containerPort", "protocol"], item: .plain, keyDefaults: tcp),
            "volumeMounts": .mapList(keys: ["mountPath"], item: .plain), "volumeDevices": .mapList(keys: ["devicePath"], item: .plain),
            "resources": resources,
        ], others: nil)

    static let podSpec = ApplySchema.structure(
        [
            "containers": .mapList(keys: ["name"], item: container), "initContainers": .mapList(keys: ["name"], item: container),
            "ephemeralContainers": .mapList(keys: ["name"], item: container), "volumes": .mapList(keys: ["name"], item: .plain),
            "imagePullSecrets": .mapList(keys: ["name"], item: .plain), "nodeSelector": stringMap, "overhead": stringMap,
            "resourceClaims": .mapList(keys: ["name"], item: .plain), "hostAliases": .mapList(keys: ["ip"], item: .plain),
        ], others: nil)

    static let conditions = ApplySchema.mapList(keys: ["type"], item: .plain)

    /// The schema of a built-in kind.
    public static func builtin(kind: String) -> ApplySchema {
        var fields: [String: ApplySchema] = ["metadata": objectMeta]
        switch kind {
        case "Pod":
            fields["spec"] = podSpec
            fields["status"] = .structure(["conditions": conditions], others: nil)
        case "Service":
            fields["spec"] = .structure(["ports": .mapList(keys: ["port", "protocol"], item: .plain, keyDefaults: tcp), "selector": .atomic], others: nil)
        case "ConfigMap": fields["data"] = stringMap; fields["binaryData"] = stringMap
        case "Secret": fields["data"] = stringMap; fields["stringData"] = stringMap
        case "Event": fields["involvedObject"] = .atomic; fields["regarding"] = .atomic; fields["related"] = .atomic
        case "Namespace", "Node", "CustomResourceDefinition": fields["status"] = .structure(["conditions": conditions], others: nil)
        default:
            guard case .structure(let patch, let others) = ApplySchema(PatchSchema.forKind(kind)) else { return .plain }
            return .structure(patch.merging(fields) { _, ours in ours }, others: others)
        }
        return .structure(fields, others: nil)
    }
}
