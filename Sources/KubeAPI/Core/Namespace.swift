/// `core/v1 Namespace`. A namespace whose phase is `Terminating` accepts no new objects.
public struct Namespace: KubeObject {
    public static let resource = APIResource(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: RawObject { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
    public var status: NamespaceStatus { get { self[object: "status"] } set { self[object: "status"] = newValue } }
}

/// `core/v1 NamespaceStatus`.
public struct NamespaceStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// `Active` or `Terminating`.
    public var phase: String? { get { self["phase"] } set { self["phase"] = newValue } }
    public var conditions: [RawObject] { get { self[list: "conditions"] } set { self[list: "conditions"] = newValue } }

    public var isTerminating: Bool { phase == "Terminating" }
}

/// `core/v1 ServiceAccount`: the identity pods run as (Spark drivers need one that may
/// create executor pods).
public struct ServiceAccount: KubeObject {
    public static let resource = APIResource(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var secrets: [ObjectReference] { get { self[list: "secrets"] } set { self[list: "secrets"] = newValue } }
    public var imagePullSecrets: [LocalObjectReference] {
        get { self[list: "imagePullSecrets"] }
        set { self[list: "imagePullSecrets"] = newValue }
    }
    public var automountServiceAccountToken: Bool? {
        get { self["automountServiceAccountToken"] }
        set { self["automountServiceAccountToken"] = newValue }
    }
}
