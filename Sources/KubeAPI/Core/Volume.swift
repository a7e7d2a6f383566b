/// `core/v1 Volume`: a named volume of a pod. The common sources are modelled lightly;
/// every source is kept, and `sourceKind` names the one that is set, so that a policy can
/// refuse, say, `hostPath` without knowing every volume type.
public struct Volume: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String) {
        self.init()
        self.name = name
    }

    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }

    /// The key of the volume source that is set (`configMap`, `hostPath`, `emptyDir`, …).
    public var sourceKind: String? { object.keys.first { $0 != "name" } }

    public var hostPath: HostPathVolumeSource? { get { self["hostPath"] } set { self["hostPath"] = newValue } }
    public var emptyDir: EmptyDirVolumeSource? { get { self["emptyDir"] } set { self["emptyDir"] = newValue } }
    public var configMap: ConfigMapVolumeSource? { get { self["configMap"] } set { self["configMap"] = newValue } }
    public var secret: SecretVolumeSource? { get { self["secret"] } set { self["secret"] = newValue } }
    public var persistentVolumeClaim: RawObject? {
        get { self["persistentVolumeClaim"] }
        set { self["persistentVolumeClaim"] = newValue }
    }
    public var projected: RawObject? { get { self["projected"] } set { self["projected"] = newValue } }
}

/// `core/v1 HostPathVolumeSource`: a directory of the node.
public struct HostPathVolumeSource: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var path: String { get { self["path"] ?? "" } set { self["path"] = newValue } }
    public var type: String? { get { self["type"] } set { self["type"] = newValue } }
}

/// `core/v1 EmptyDirVolumeSource`: scratch space that lives as long as the pod.
public struct EmptyDirVolumeSource: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// `""` (node disk) or `Memory`.
    public var medium: String? { get { self["medium"] } set { self["medium"] = newValue } }
    public var sizeLimit: Quantity? { get { self["sizeLimit"] } set { self["sizeLimit"] = newValue } }
}

/// `core/v1 ConfigMapVolumeSource`: a ConfigMap's keys as files.
public struct ConfigMapVolumeSource: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String) {
        self.init()
        self.name = name
    }

    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
    public var items: [KeyToPath] { get { self[list: "items"] } set { self[list: "items"] = newValue } }
    public var defaultMode: Int32? { get { self["defaultMode"] } set { self["defaultMode"] = newValue } }
    public var optional: Bool? { get { self["optional"] } set { self["optional"] = newValue } }
}

/// `core/v1 SecretVolumeSource`: a Secret's keys as files.
public struct SecretVolumeSource: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var secretName: String? { get { self["secretName"] } set { self["secretName"] = newValue } }
    public var items: [KeyToPath] { get { self[list: "items"] } set { self[list: "items"] = newValue } }
    public var defaultMode: Int32? { get { self["defaultMode"] } set { self["defaultMode"] = newValue } }
    public var optional: Bool? { get { self["optional"] } set { self["optional"] = newValue } }
}

/// `core/v1 KeyToPath`: which key goes to which file.
public struct KeyToPath: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(key: String, path: String) {
        self.init()
        self.key = key
        self.path = path
    }

    public var key: String { get { self["key"] ?? "" } set { self["key"] = newValue } }
    public var path: String { get { self["path"] ?? "" } set { self["path"] = newValue } }
    public var mode: Int32? { get { self["mode"] } set { self["mode"] = newValue } }
}
