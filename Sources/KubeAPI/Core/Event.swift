import Foundation

/// `core/v1 Event`: a record of something that happened to an object — a pod scheduled,
/// an image pull failed, a job retried. `kubectl describe` shows them; the operator both
/// writes them and reads the kubelet's to explain failures.
public struct Event: KubeObject {
    public static let resource = APIResource(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var involvedObject: ObjectReference { get { self[object: "involvedObject"] } set { self[object: "involvedObject"] = newValue } }
    /// A short CamelCase reason, e.g. `BackOff`, `FailedScheduling`, `RetryWithMoreMemory`.
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    public var type: EventType? { get { self["type"] } set { self["type"] = newValue } }
    public var source: EventSource { get { self[object: "source"] } set { self[object: "source"] = newValue } }
    public var firstTimestamp: Date? { get { self["firstTimestamp"] } set { self["firstTimestamp"] = newValue } }
    public var lastTimestamp: Date? { get { self["lastTimestamp"] } set { self["lastTimestamp"] = newValue } }
    public var eventTime: MicroTime? { get { self["eventTime"] } set { self["eventTime"] = newValue } }
    public var count: Int32? { get { self["count"] } set { self["count"] = newValue } }
    public var series: EventSeries? { get { self["series"] } set { self["series"] = newValue } }
    public var reportingComponent: String? { get { self["reportingComponent"] } set { self["reportingComponent"] = newValue } }
    public var reportingInstance: String? { get { self["reportingInstance"] } set { self["reportingInstance"] = newValue } }
    public var action: String? { get { self["action"] } set { self["action"] = newValue } }
    public var related: ObjectReference? { get { self["related"] } set { self["related"] = newValue } }

    /// When the event last happened, whichever API wrote it: the series' last observation,
    /// `lastTimestamp`, `eventTime`, or the first timestamp.
    public var lastObservedTime: Date? {
        series?.lastObservedTime?.date ?? lastTimestamp ?? eventTime?.date ?? firstTimestamp
    }
}

/// `Normal` or `Warning`.
public enum EventType: OpenStringEnum {
    case normal, warning
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "Normal": self = .normal
        case "Warning": self = .warning
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .normal: return "Normal"
        case .warning: return "Warning"
        case .other(let s): return s
        }
    }
}

/// `core/v1 EventSource`: the component (and host) that reported an event.
public struct EventSource: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var component: String? { get { self["component"] } set { self["component"] = newValue } }
    public var host: String? { get { self["host"] } set { self["host"] = newValue } }
}

/// `core/v1 EventSeries`: repeated occurrences of one event, counted instead of recorded.
public struct EventSeries: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var count: Int32? { get { self["count"] } set { self["count"] = newValue } }
    public var lastObservedTime: MicroTime? { get { self["lastObservedTime"] } set { self["lastObservedTime"] = newValue } }
}

/// `core/v1 ObjectReference`: which object (or part of one, via `fieldPath`) something is about.
public struct ObjectReference: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// A reference to `target`, with its UID and resourceVersion.
    public init<Target: KubeObject>(to target: Target, fieldPath: String? = nil) {
        self.init()
        kind = Target.resource.kind
        namespace = target.metadata.namespace
        name = target.metadata.name
        uid = target.metadata.uid
        apiVersion = Target.resource.apiVersion
        resourceVersion = target.metadata.resourceVersion
        self.fieldPath = fieldPath
    }

    public var kind: String? { get { self["kind"] } set { self["kind"] = newValue } }
    public var namespace: String? { get { self["namespace"] } set { self["namespace"] = newValue } }
    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
    public var uid: String? { get { self["uid"] } set { self["uid"] = newValue } }
    public var apiVersion: String? { get { self["apiVersion"] } set { self["apiVersion"] = newValue } }
    public var resourceVersion: String? { get { self["resourceVersion"] } set { self["resourceVersion"] = newValue } }
    /// A part of the object, e.g. `spec.containers{driver}`.
    public var fieldPath: String? { get { self["fieldPath"] } set { self["fieldPath"] = newValue } }
}
