/// `core/v1 SecurityContext`: a container's privileges. The operator reads it to refuse
/// privileged pods a job author should not be able to create through it.
public struct SecurityContext: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var privileged: Bool? { get { self["privileged"] } set { self["privileged"] = newValue } }
    public var allowPrivilegeEscalation: Bool? {
        get { self["allowPrivilegeEscalation"] }
        set { self["allowPrivilegeEscalation"] = newValue }
    }
    public var runAsNonRoot: Bool? { get { self["runAsNonRoot"] } set { self["runAsNonRoot"] = newValue } }
    public var runAsUser: Int64? { get { self["runAsUser"] } set { self["runAsUser"] = newValue } }
    public var runAsGroup: Int64? { get { self["runAsGroup"] } set { self["runAsGroup"] = newValue } }
    public var readOnlyRootFilesystem: Bool? {
        get { self["readOnlyRootFilesystem"] }
        set { self["readOnlyRootFilesystem"] = newValue }
    }
    public var capabilities: Capabilities? { get { self["capabilities"] } set { self["capabilities"] = newValue } }
}

/// `core/v1 Capabilities`: Linux capabilities added to and dropped from a container.
public struct Capabilities: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(add: [String] = [], drop: [String] = []) {
        self.init(object: JSONObject())
        self.add = add
        self.drop = drop
    }

    public var add: [String] { get { self[list: "add"] } set { self[list: "add"] = newValue } }
    public var drop: [String] { get { self[list: "drop"] } set { self[list: "drop"] = newValue } }
}

/// `core/v1 PodSecurityContext`: settings for every container of a pod.
public struct PodSecurityContext: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var runAsNonRoot: Bool? { get { self["runAsNonRoot"] } set { self["runAsNonRoot"] = newValue } }
    public var runAsUser: Int64? { get { self["runAsUser"] } set { self["runAsUser"] = newValue } }
    public var runAsGroup: Int64? { get { self["runAsGroup"] } set { self["runAsGroup"] = newValue } }
    public var fsGroup: Int64? { get { self["fsGroup"] } set { self["fsGroup"] = newValue } }
    public var supplementalGroups: [Int64] {
        get { self[list: "supplementalGroups"] }
        set { self[list: "supplementalGroups"] = newValue }
    }
}
