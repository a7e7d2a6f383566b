import Foundation

/// `core/v1 Pod`: the unit the operator creates for every attempt and watches to learn
/// how the attempt ended.
public struct Pod: KubeObject {
    public static let resource = APIResource(group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: PodSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
    public var status: PodStatus { get { self[object: "status"] } set { self[object: "status"] = newValue } }
}

/// `core/v1 PodTemplateSpec`: the metadata and spec of pods to create, as embedded in
/// Jobs and in Slipway's own kinds.
public struct PodTemplateSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var metadata: ObjectMeta { get { self[object: "metadata"] } set { self[object: "metadata"] = newValue } }
    public var spec: PodSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
}

/// `core/v1 PodSpec`. Fields not listed (dnsPolicy, overhead, topologySpreadConstraints,
/// ephemeralContainers, …) are kept untouched.
public struct PodSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var containers: [Container] { get { self[list: "containers"] } set { self[list: "containers"] = newValue } }
    public var initContainers: [Container] { get { self[list: "initContainers"] } set { self[list: "initContainers"] = newValue } }
    public var volumes: [Volume] { get { self[list: "volumes"] } set { self[list: "volumes"] = newValue } }
    public var nodeSelector: [String: String] { get { self[map: "nodeSelector"] } set { self[map: "nodeSelector"] = newValue } }
    public var affinity: Affinity? { get { self["affinity"] } set { self["affinity"] = newValue } }
    public var tolerations: [Toleration] { get { self[list: "tolerations"] } set { self[list: "tolerations"] = newValue } }
    public var restartPolicy: RestartPolicy? { get { self["restartPolicy"] } set { self["restartPolicy"] = newValue } }
    public var activeDeadlineSeconds: Int64? {
        get { self["activeDeadlineSeconds"] }
        set { self["activeDeadlineSeconds"] = newValue }
    }
    public var terminationGracePeriodSeconds: Int64? {
        get { self["terminationGracePeriodSeconds"] }
        set { self["terminationGracePeriodSeconds"] = newValue }
    }
    public var serviceAccountName: String? { get { self["serviceAccountName"] } set { self["serviceAccountName"] = newValue } }
    public var securityContext: PodSecurityContext? { get { self["securityContext"] } set { self["securityContext"] = newValue } }
    public var nodeName: String? { get { self["nodeName"] } set { self["nodeName"] = newValue } }
    public var hostNetwork: Bool? { get { self["hostNetwork"] } set { self["hostNetwork"] = newValue } }
    public var hostPID: Bool? { get { self["hostPID"] } set { self["hostPID"] = newValue } }
    public var hostIPC: Bool? { get { self["hostIPC"] } set { self["hostIPC"] = newValue } }
    public var imagePullSecrets: [LocalObjectReference] {
        get { self[list: "imagePullSecrets"] }
        set { self[list: "imagePullSecrets"] = newValue }
    }
    public var priorityClassName: String? { get { self["priorityClassName"] } set { self["priorityClassName"] = newValue } }
    public var schedulerName: String? { get { self["schedulerName"] } set { self["schedulerName"] = newValue } }
    public var subdomain: String? { get { self["subdomain"] } set { self["subdomain"] = newValue } }
    public var hostname: String? { get { self["hostname"] } set { self["hostname"] = newValue } }

    /// The container with `name`, among the regular containers.
    public func container(named name: String) -> Container? { containers.first { $0.name == name } }
}

/// `spec.restartPolicy`: `Always`, `OnFailure` or `Never`.
public enum RestartPolicy: OpenStringEnum {
    case always, onFailure, never
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "Always": self = .always
        case "OnFailure": self = .onFailure
        case "Never": self = .never
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .always: return "Always"
        case .onFailure: return "OnFailure"
        case .never: return "Never"
        case .other(let s): return s
        }
    }
}

/// `core/v1 LocalObjectReference`: a name in the same namespace (image pull secrets).
public struct LocalObjectReference: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String) {
        self.init()
        self.name = name
    }

    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
}

/// `core/v1 Affinity`, kept as raw JSON per kind: the operator passes it through.
public struct Affinity: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var nodeAffinity: RawObject? { get { self["nodeAffinity"] } set { self["nodeAffinity"] = newValue } }
    public var podAffinity: RawObject? { get { self["podAffinity"] } set { self["podAffinity"] = newValue } }
    public var podAntiAffinity: RawObject? { get { self["podAntiAffinity"] } set { self["podAntiAffinity"] = newValue } }
}
