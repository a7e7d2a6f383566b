import Foundation

/// `core/v1 Node`. The operator reads node labels (capacity type: spot or on-demand),
/// taints and conditions to tell an interruption from an application failure.
public struct Node: KubeObject {
    public static let resource = APIResource(group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: NodeSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
    public var status: NodeStatus { get { self[object: "status"] } set { self[object: "status"] = newValue } }
}

/// `core/v1 NodeSpec`.
public struct NodeSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// True when the node is cordoned.
    public var unschedulable: Bool? { get { self["unschedulable"] } set { self["unschedulable"] = newValue } }
    public var taints: [Taint] { get { self[list: "taints"] } set { self[list: "taints"] = newValue } }
    public var providerID: String? { get { self["providerID"] } set { self["providerID"] = newValue } }
    public var podCIDR: String? { get { self["podCIDR"] } set { self["podCIDR"] = newValue } }
}

/// `core/v1 NodeStatus`.
public struct NodeStatus: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var conditions: [NodeCondition] { get { self[list: "conditions"] } set { self[list: "conditions"] = newValue } }
    public var addresses: [NodeAddress] { get { self[list: "addresses"] } set { self[list: "addresses"] = newValue } }
    public var capacity: [String: Quantity] { get { self[map: "capacity"] } set { self[map: "capacity"] = newValue } }
    public var allocatable: [String: Quantity] { get { self[map: "allocatable"] } set { self[map: "allocatable"] = newValue } }
    /// Kubelet, runtime and OS versions, kept as reported.
    public var nodeInfo: RawObject { get { self[object: "nodeInfo"] } set { self[object: "nodeInfo"] = newValue } }

    public func condition(_ type: String) -> NodeCondition? { conditions.first { $0.type == type } }

    /// The `Ready` condition is `True`.
    public var isReady: Bool { condition("Ready")?.status == .true }
}

/// `core/v1 NodeCondition`: `Ready`, `MemoryPressure`, `DiskPressure`, …
public struct NodeCondition: ConditionFields {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var lastHeartbeatTime: Date? { get { self["lastHeartbeatTime"] } set { self["lastHeartbeatTime"] = newValue } }
}

/// `core/v1 NodeAddress`: `InternalIP`, `ExternalIP`, `Hostname`, …
public struct NodeAddress: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(type: String, address: String) {
        self.init()
        self.type = type
        self.address = address
    }

    public var type: String { get { self["type"] ?? "" } set { self["type"] = newValue } }
    public var address: String { get { self["address"] ?? "" } set { self["address"] = newValue } }
}
