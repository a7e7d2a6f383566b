import Foundation
import KubeAPI

/// A core/v1 Event as the `EventRecorder` writes it: what happened to which object, how
/// often, first and last when.
public struct RecordedEvent: Sendable, Hashable {
    /// `Normal` for progress a user may like to see, `Warning` for what needs attention.
    public enum EventType: String, Sendable, Hashable {
        case normal = "Normal"
        case warning = "Warning"
    }

    /// The object the event is about (core/v1 `ObjectReference`).
    public struct InvolvedObject: Sendable, Hashable {
        public var apiVersion: String
        public var kind: String
        public var namespace: String?
        public var name: String
        public var uid: String?
        public var resourceVersion: String?

        public init(apiVersion: String, kind: String, namespace: String?, name: String, uid: String?, resourceVersion: String?) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.uid = uid
            self.resourceVersion = resourceVersion
        }

        /// A reference to `object`.
        public init<Object: KubeObject>(_ object: Object) {
            self.init(
                apiVersion: object.apiVersion ?? Object.resource.apiVersion, kind: object.kind ?? Object.resource.kind,
                namespace: object.metadata.namespace, name: object.metadata.name ?? "", uid: object.metadata.uid,
                resourceVersion: object.metadata.resourceVersion)
        }

        var json: JSONValue {
            var o: JSONObject = ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name)]
            if let namespace { o["namespace"] = .string(namespace) }
            if let uid { o["uid"] = .string(uid) }
            if let resourceVersion { o["resourceVersion"] = .string(resourceVersion) }
            return .object(o)
        }
    }

    /// The Event's name; repeats of an event keep the name of the first.
    public var name: String
    /// The Event's namespace: the object's, or `default` for cluster-scoped objects.
    public var namespace: String
    public var involvedObject: InvolvedObject
    public var type: EventType
    /// A short UpperCamelCase machine-readable reason (`Scheduled`, `RetryingWithMoreMemory`).
    public var reason: String
    public var message: String
    public var count: Int
    public var firstTimestamp: Date
    public var lastTimestamp: Date
    /// `source.component` and `reportingComponent`, e.g. `slipway-operator`.
    public var component: String
    /// `source.host` and `reportingInstance`, e.g. the pod name; may be empty.
    public var instance: String

    public init(
        name: String, namespace: String, involvedObject: InvolvedObject, type: EventType, reason: String, message: String,
        count: Int, firstTimestamp: Date, lastTimestamp: Date, component: String, instance: String
    ) {
        self.name = name
        self.namespace = namespace
        self.involvedObject = involvedObject
        self.type = type
        self.reason = reason
        self.message = message
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.component = component
        self.instance = instance
    }

    /// The whole core/v1 Event object, for a create.
    public var json: JSONValue {
        var source: JSONObject = ["component": .string(component)]
        if !instance.isEmpty { source["host"] = .string(instance) }
        var o: JSONObject = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": involvedObject.json,
            "type": .string(type.rawValue), "reason": .string(reason), "message": .string(message),
            "count": count.json, "firstTimestamp": firstTimestamp.json, "lastTimestamp": lastTimestamp.json,
            "source": .object(source), "reportingComponent": .string(component),
        ]
        o["reportingInstance"] = .string(instance)
        return .object(o)
    }

    /// The merge patch that records a repeat: the new count, message and last time.
    public var repeatPatch: JSONValue {
        ["count": count.json, "message": .string(message), "lastTimestamp": lastTimestamp.json]
    }

    /// The events resource (core/v1), for sinks that write through a client.
    public static let resource = APIResource(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true)
}
