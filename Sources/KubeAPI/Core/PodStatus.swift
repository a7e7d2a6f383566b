import Foundation

/// `core/v1 PodStatus`: what the kubelet reports — the evidence the operator classifies
/// a failure from.
public struct PodStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var phase: PodPhase? { get { self["phase"] } set { self["phase"] = newValue } }
    /// A brief CamelCase reason for a pod-level state, e.g. `Evicted`, `NodeShutdown`.
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    public var conditions: [PodCondition] { get { self[list: "conditions"] } set { self[list: "conditions"] = newValue } }
    public var containerStatuses: [ContainerStatus] {
        get { self[list: "containerStatuses"] }
        set { self[list: "containerStatuses"] = newValue }
    }
    public var initContainerStatuses: [ContainerStatus] {
        get { self[list: "initContainerStatuses"] }
        set { self[list: "initContainerStatuses"] = newValue }
    }
    public var startTime: Date? { get { self["startTime"] } set { self["startTime"] = newValue } }
    public var podIP: String? { get { self["podIP"] } set { self["podIP"] = newValue } }
    public var hostIP: String? { get { self["hostIP"] } set { self["hostIP"] = newValue } }
    public var nominatedNodeName: String? { get { self["nominatedNodeName"] } set { self["nominatedNodeName"] = newValue } }

    /// The condition of `type` (`Ready`, `PodScheduled`, `DisruptionTarget`, …), if reported.
    public func condition(_ type: String) -> PodCondition? { conditions.first { $0.type == type } }

    /// The status of the container `name`, regular or init.
    public func containerStatus(named name: String) -> ContainerStatus? {
        containerStatuses.first { $0.name == name } ?? initContainerStatuses.first { $0.name == name }
    }
}

/// `status.phase`. `Unknown` is a phase Kubernetes reports; values added by later
/// releases are kept as `.other`.
public enum PodPhase: OpenStringEnum {
    case pending, running, succeeded, failed, unknown
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "Pending": self = .pending
        case "Running": self = .running
        case "Succeeded": self = .succeeded
        case "Failed": self = .failed
        case "Unknown": self = .unknown
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .pending: return "Pending"
        case .running: return "Running"
        case .succeeded: return "Succeeded"
        case .failed: return "Failed"
        case .unknown: return "Unknown"
        case .other(let s): return s
        }
    }

    /// Succeeded or Failed: the pod will not run again.
    public var isFinished: Bool { self == .succeeded || self == .failed }
}

/// `core/v1 PodCondition`.
public struct PodCondition: ConditionFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var lastProbeTime: Date? { get { self["lastProbeTime"] } set { self["lastProbeTime"] = newValue } }
}

/// `core/v1 ContainerStatus`: the current and previous state of one container.
public struct ContainerStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }
    public var state: ContainerState { get { self[object: "state"] } set { self[object: "state"] = newValue } }
    /// The state of the previous run, after a restart.
    public var lastState: ContainerState { get { self[object: "lastState"] } set { self[object: "lastState"] = newValue } }
    public var ready: Bool { get { self["ready"] ?? false } set { self["ready"] = newValue } }
    public var restartCount: Int32 { get { self["restartCount"] ?? 0 } set { self["restartCount"] = newValue } }
    public var image: String? { get { self["image"] } set { self["image"] = newValue } }
    public var imageID: String? { get { self["imageID"] } set { self["imageID"] = newValue } }
    public var containerID: String? { get { self["containerID"] } set { self["containerID"] = newValue } }
    public var started: Bool? { get { self["started"] } set { self["started"] = newValue } }
}

/// `core/v1 ContainerState`: at most one of waiting, running and terminated is set.
public struct ContainerState: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var waiting: ContainerStateWaiting? { get { self["waiting"] } set { self["waiting"] = newValue } }
    public var running: ContainerStateRunning? { get { self["running"] } set { self["running"] = newValue } }
    public var terminated: ContainerStateTerminated? { get { self["terminated"] } set { self["terminated"] = newValue } }
}

/// A container that has not started: `ContainerCreating`, `ImagePullBackOff`, `CrashLoopBackOff`, …
public struct ContainerStateWaiting: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(reason: String, message: String? = nil) {
        self.init()
        self.reason = reason
        self.message = message
    }

    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
}

/// A running container.
public struct ContainerStateRunning: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(startedAt: Date) {
        self.init()
        self.startedAt = startedAt
    }

    public var startedAt: Date? { get { self["startedAt"] } set { self["startedAt"] = newValue } }
}

/// A container that exited: its exit code, reason (`OOMKilled`, `Error`, `Completed`) and
/// termination message.
public struct ContainerStateTerminated: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(exitCode: Int32, reason: String? = nil, message: String? = nil, signal: Int32? = nil) {
        self.init()
        self.exitCode = exitCode
        self.reason = reason
        self.message = message
        self.signal = signal
    }

    public var exitCode: Int32 { get { self["exitCode"] ?? 0 } set { self["exitCode"] = newValue } }
    public var signal: Int32? { get { self["signal"] } set { self["signal"] = newValue } }
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    public var startedAt: Date? { get { self["startedAt"] } set { self["startedAt"] = newValue } }
    public var finishedAt: Date? { get { self["finishedAt"] } set { self["finishedAt"] = newValue } }
    public var containerID: String? { get { self["containerID"] } set { self["containerID"] = newValue } }
}
