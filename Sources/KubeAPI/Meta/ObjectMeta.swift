import Foundation

/// `metav1.ObjectMeta`. `managedFields` and any other field are kept, not modelled.
public struct ObjectMeta: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
    public var generateName: String? { get { self["generateName"] } set { self["generateName"] = newValue } }
    public var namespace: String? { get { self["namespace"] } set { self["namespace"] = newValue } }
    public var uid: String? { get { self["uid"] } set { self["uid"] = newValue } }
    public var resourceVersion: String? { get { self["resourceVersion"] } set { self["resourceVersion"] = newValue } }
    public var generation: Int64? { get { self["generation"] } set { self["generation"] = newValue } }
    public var creationTimestamp: Date? { get { self["creationTimestamp"] } set { self["creationTimestamp"] = newValue } }
    public var deletionTimestamp: Date? { get { self["deletionTimestamp"] } set { self["deletionTimestamp"] = newValue } }
    public var deletionGracePeriodSeconds: Int64? {
        get { self["deletionGracePeriodSeconds"] }
        set { self["deletionGracePeriodSeconds"] = newValue }
    }
    public var labels: [String: String] { get { self[map: "labels"] } set { self[map: "labels"] = newValue } }
    public var annotations: [String: String] { get { self[map: "annotations"] } set { self[map: "annotations"] = newValue } }
    public var ownerReferences: [OwnerReference] {
        get { self[list: "ownerReferences"] }
        set { self[list: "ownerReferences"] = newValue }
    }
    public var finalizers: [String] { get { self[list: "finalizers"] } set { self[list: "finalizers"] = newValue } }

    /// The owner reference that is the controller, if any.
    public var controllerReference: OwnerReference? { ownerReferences.first { $0.controller == true } }

    public var isBeingDeleted: Bool { deletionTimestamp != nil }
}

/// `metav1.OwnerReference`.
public struct OwnerReference: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil, blockOwnerDeletion: Bool? = nil) {
        self.init()
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// A controller reference to `owner` (controller and blockOwnerDeletion true).
    public init<Owner: KubeObject>(controller owner: Owner) {
        self.init(
            apiVersion: Owner.resource.apiVersion, kind: Owner.resource.kind,
            name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "", controller: true, blockOwnerDeletion: true)
    }

    public var apiVersion: String { get { self["apiVersion"] ?? "" } set { self["apiVersion"] = newValue } }
    public var kind: String { get { self["kind"] ?? "" } set { self["kind"] = newValue } }
    public var name: String { get { self["name"] ?? "" } set { self["name"] = newValue } }
    public var uid: String { get { self["uid"] ?? "" } set { self["uid"] = newValue } }
    public var controller: Bool? { get { self["controller"] } set { self["controller"] = newValue } }
    public var blockOwnerDeletion: Bool? { get { self["blockOwnerDeletion"] } set { self["blockOwnerDeletion"] = newValue } }
}

/// `metav1.ListMeta`.
public struct ListMeta: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var resourceVersion: String? { get { self["resourceVersion"] } set { self["resourceVersion"] = newValue } }
    /// The token to fetch the next page; nil or empty on the last one.
    public var `continue`: String? { get { self["continue"] } set { self["continue"] = newValue } }
    public var remainingItemCount: Int64? { get { self["remainingItemCount"] } set { self["remainingItemCount"] = newValue } }
}

/// The fields every Kubernetes condition shares (`metav1.Condition`, pod and node
/// conditions): one definition of type, status, reason, message and transition time.
public protocol ConditionFields: JSONBacked {}

extension ConditionFields {
    public var type: String { get { self["type"] ?? "" } set { self["type"] = newValue } }
    public var status: ConditionStatus {
        get { (self["status"] as String?).flatMap(ConditionStatus.init(rawValue:)) ?? .unknown }
        set { self["status"] = newValue.rawValue }
    }
    public var reason: String? { get { self["reason"] } set { self["reason"] = newValue } }
    public var message: String? { get { self["message"] } set { self["message"] = newValue } }
    public var lastTransitionTime: Date? { get { self["lastTransitionTime"] } set { self["lastTransitionTime"] = newValue } }

    /// A condition with the shared fields set.
    public init(type: String, status: ConditionStatus, reason: String? = nil, message: String? = nil, lastTransitionTime: Date? = nil) {
        self.init(object: JSONObject())
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

/// `metav1.Condition`: the standard status condition shape.
public struct Condition: ConditionFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(type: String, status: ConditionStatus, reason: String, message: String, lastTransitionTime: Date, observedGeneration: Int64? = nil) {
        self.init(type: type, status: status, reason: Optional(reason), message: Optional(message), lastTransitionTime: Optional(lastTransitionTime))
        self.observedGeneration = observedGeneration
    }

    public var observedGeneration: Int64? { get { self["observedGeneration"] } set { self["observedGeneration"] = newValue } }
}

public enum ConditionStatus: String, Sendable, Hashable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}
