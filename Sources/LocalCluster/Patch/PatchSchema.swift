import KubeAPI

/// How strategic merge patch treats each field of a built-in kind: the `patchStrategy` and
/// `patchMergeKey` tags of the Kubernetes Go types, for the fields kubectl patches in
/// practice. Fields not described merge as maps and replace as lists.
public indirect enum PatchSchema: Sendable, Hashable {
    /// An object whose listed fields have their own schema.
    case object([String: PatchSchema])
    /// A list of objects merged element by element on `key` (`patchStrategy:"merge"`).
    case mergeList(key: String, item: PatchSchema)
    /// A list of scalars merged as a set (`patchStrategy:"merge"` on `[]string`).
    case primitiveSet
    /// Replaced as a whole.
    case atomic

    /// An object with no special fields.
    public static let plain = PatchSchema.object([:])

    /// The schema of a member of this object.
    public func field(_ name: String) -> PatchSchema? {
        if case .object(let fields) = self { return fields[name] }
        return nil
    }

    // MARK: - Built-in kinds

    /// `ObjectMeta`: owner references merge by uid, finalizers as a set.
    public static let objectMeta = PatchSchema.object([
        "ownerReferences": .mergeList(key: "uid", item: .plain),
        "finalizers": .primitiveSet,
    ])

    /// `Container`.
    public static let container = PatchSchema.object([
        "env": .mergeList(key: "name", item: .plain),
        "ports": .mergeList(key: "containerPort", item: .plain),
        "volumeMounts": .mergeList(key: "mountPath", item: .plain),
        "volumeDevices": .mergeList(key: "devicePath", item: .plain),
    ])

    /// `PodSpec` (tolerations, like every list without a strategy, are replaced).
    public static let podSpec = PatchSchema.object([
        "containers": .mergeList(key: "name", item: container),
        "initContainers": .mergeList(key: "name", item: container),
        "ephemeralContainers": .mergeList(key: "name", item: container),
        "volumes": .mergeList(key: "name", item: .plain),
        "imagePullSecrets": .mergeList(key: "name", item: .plain),
        "hostAliases": .mergeList(key: "ip", item: .plain),
        "resourceClaims": .mergeList(key: "name", item: .plain),
    ])

    /// `PodTemplateSpec`.
    public static let podTemplate = PatchSchema.object(["metadata": objectMeta, "spec": podSpec])

    private static let conditionsByType = PatchSchema.mergeList(key: "type", item: .plain)

    /// The schema of a built-in kind; kinds without special lists get metadata rules only.
    public static func forKind(_ kind: String) -> PatchSchema {
        switch kind {
        case "Pod":
            return .object(["metadata": objectMeta, "spec": podSpec, "status": .object(["conditions": conditionsByType])])
        case "PodTemplate":
            return .object(["metadata": objectMeta, "template": podTemplate])
        case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController":
            return .object(["metadata": objectMeta, "spec": .object(["template": podTemplate]), "status": .object(["conditions": conditionsByType])])
        case "CronJob":
            let jobTemplate = PatchSchema.object(["metadata": objectMeta, "spec": .object(["template": podTemplate])])
            return .object(["metadata": objectMeta, "spec": .object(["jobTemplate": jobTemplate])])
        case "Service":
            return .object(["metadata": objectMeta, "spec": .object(["ports": .mergeList(key: "port", item: .plain)])])
        case "Node":
            return .object(["metadata": objectMeta, "status": .object(["conditions": conditionsByType, "addresses": .mergeList(key: "type", item: .plain)])])
        case "Namespace":
            return .object(["metadata": objectMeta, "status": .object(["conditions": conditionsByType])])
        default:
            return .object(["metadata": objectMeta])
        }
    }
}
