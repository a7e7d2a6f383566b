/// `core/v1 Container`: one process of a pod, with its image, command, environment and
/// resources.
public struct Container: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String, image: String) {
        self.init()
        self.name = name
        self.image = image
    }

    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }
    public var image: String? { get { self["image"] } set { self["image"] = newValue } }
    public var imagePullPolicy: PullPolicy? { get { self["imagePullPolicy"] } set { self["imagePullPolicy"] = newValue } }
    public var command: [String] { get { self[list: "command"] } set { self[list: "command"] = newValue } }
    public var args: [String] { get { self[list: "args"] } set { self[list: "args"] = newValue } }
    public var env: [EnvVar] { get { self[list: "env"] } set { self[list: "env"] = newValue } }
    public var envFrom: [EnvFromSource] { get { self[list: "envFrom"] } set { self[list: "envFrom"] = newValue } }
    public var resources: ResourceRequirements { get { self[object: "resources"] } set { self[object: "resources"] = newValue } }
    public var ports: [ContainerPort] { get { self[list: "ports"] } set { self[list: "ports"] = newValue } }
    public var volumeMounts: [VolumeMount] { get { self[list: "volumeMounts"] } set { self[list: "volumeMounts"] = newValue } }
    public var workingDir: String? { get { self["workingDir"] } set { self["workingDir"] = newValue } }
    /// Init containers only: `Always` makes it a sidecar (KEP-753, Kubernetes 1.29+), started
    /// before the next init container and the regular ones, restarted whenever it exits, and
    /// stopped after the regular containers.
    public var restartPolicy: String? { get { self["restartPolicy"] } set { self["restartPolicy"] = newValue } }
    /// Whether this init container is a sidecar (`restartPolicy: Always`).
    public var isSidecar: Bool { restartPolicy == "Always" }
    public var securityContext: SecurityContext? { get { self["securityContext"] } set { self["securityContext"] = newValue } }
    /// `File` or `FallbackToLogsOnError`; the latter puts the log tail into the termination
    /// message of a failed container.
    public var terminationMessagePolicy: TerminationMessagePolicy? {
        get { self["terminationMessagePolicy"] }
        set { self["terminationMessagePolicy"] = newValue }
    }
    public var terminationMessagePath: String? {
        get { self["terminationMessagePath"] }
        set { self["terminationMessagePath"] = newValue }
    }
}

/// `imagePullPolicy`: `Always`, `IfNotPresent` or `Never`.
public enum PullPolicy: OpenStringEnum {
    case always, ifNotPresent, never
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "Always": self = .always
        case "IfNotPresent": self = .ifNotPresent
        case "Never": self = .never
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .always: return "Always"
        case .ifNotPresent: return "IfNotPresent"
        case .never: return "Never"
        case .other(let s): return s
        }
    }
}

/// `terminationMessagePolicy`: `File` or `FallbackToLogsOnError`.
public enum TerminationMessagePolicy: OpenStringEnum {
    case file, fallbackToLogsOnError
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "File": self = .file
        case "FallbackToLogsOnError": self = .fallbackToLogsOnError
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .file: return "File"
        case .fallbackToLogsOnError: return "FallbackToLogsOnError"
        case .other(let s): return s
        }
    }
}

/// `core/v1 ResourceRequirements`: what a container asks for and may not exceed.
public struct ResourceRequirements: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(requests: [String: Quantity] = [:], limits: [String: Quantity] = [:]) {
        self.init(object: JSONObject())
        self.requests = requests
        self.limits = limits
    }

    /// Keyed by resource name: `cpu`, `memory`, `ephemeral-storage`, `nvidia.com/gpu`, …
    public var limits: [String: Quantity] { get { self[map: "limits"] } set { self[map: "limits"] = newValue } }
    public var requests: [String: Quantity] { get { self[map: "requests"] } set { self[map: "requests"] = newValue } }
}

/// `core/v1 ContainerPort`.
public struct ContainerPort: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String? = nil, containerPort: Int32, protocol proto: String? = nil) {
        self.init()
        self.name = name
        self.containerPort = containerPort
        self.protocol = proto
    }

    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
    public var containerPort: Int32 { get { self["containerPort"] ?? 0 } set { self["containerPort"] = newValue } }
    public var hostPort: Int32? { get { self["hostPort"] } set { self["hostPort"] = newValue } }
    public var hostIP: String? { get { self["hostIP"] } set { self["hostIP"] = newValue } }
    /// `TCP` (the default), `UDP` or `SCTP`.
    public var `protocol`: String? { get { self["protocol"] } set { self["protocol"] = newValue } }
}

/// `core/v1 VolumeMount`.
public struct VolumeMount: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String, mountPath: String, readOnly: Bool? = nil) {
        self.init()
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
    }

    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }
    public var mountPath: String { get { self["mountPath"] ?? "" } set { self["mountPath"] = newValue } }
    public var subPath: String? { get { self["subPath"] } set { self["subPath"] = newValue } }
    public var readOnly: Bool? { get { self["readOnly"] } set { self["readOnly"] = newValue } }
}
