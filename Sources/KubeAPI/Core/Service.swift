/// `core/v1 Service`: a stable name for pods. Slipway creates a headless one
/// (`clusterIP: None`) so executors can reach the Spark driver by DNS.
public struct Service: KubeObject {
    public static let resource = APIResource(group: "", version: "v1", kind: "Service", plural: "services", namespaced: true)
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public var spec: ServiceSpec { get { self[object: "spec"] } set { self[object: "spec"] = newValue } }
    public var status: RawObject { get { self[object: "status"] } set { self[object: "status"] = newValue } }
}

/// `core/v1 ServiceSpec`.
public struct ServiceSpec: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    /// The value of `clusterIP` that makes a Service headless: DNS returns the pod IPs.
    public static let headlessClusterIP = "None"

    public var selector: [String: String] { get { self[map: "selector"] } set { self[map: "selector"] = newValue } }
    public var ports: [ServicePort] { get { self[list: "ports"] } set { self[list: "ports"] = newValue } }
    /// An IP, `None` for a headless Service, or absent to let the server allocate one.
    public var clusterIP: String? { get { self["clusterIP"] } set { self["clusterIP"] = newValue } }
    public var clusterIPs: [String] { get { self[list: "clusterIPs"] } set { self[list: "clusterIPs"] = newValue } }
    public var type: ServiceType? { get { self["type"] } set { self["type"] = newValue } }
    /// Publish DNS records before pods are ready (the Spark driver's executors need this).
    public var publishNotReadyAddresses: Bool? {
        get { self["publishNotReadyAddresses"] }
        set { self["publishNotReadyAddresses"] = newValue }
    }

    public var isHeadless: Bool { clusterIP == Self.headlessClusterIP }
}

/// `core/v1 ServicePort`.
public struct ServicePort: JSONBacked {
    public var object: JSONObject
    public init(object: JSONObject) { self.object = object }

    public init(name: String? = nil, port: Int32, targetPort: IntOrString? = nil, protocol proto: String? = nil) {
        self.init()
        self.name = name
        self.port = port
        self.targetPort = targetPort
        self.protocol = proto
    }

    public var name: String? { get { self["name"] } set { self["name"] = newValue } }
    public var port: Int32 { get { self["port"] ?? 0 } set { self["port"] = newValue } }
    /// A container port number or name; the `port` when absent.
    public var targetPort: IntOrString? { get { self["targetPort"] } set { self["targetPort"] = newValue } }
    public var `protocol`: String? { get { self["protocol"] } set { self["protocol"] = newValue } }
    public var nodePort: Int32? { get { self["nodePort"] } set { self["nodePort"] = newValue } }
}

/// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
public enum ServiceType: OpenStringEnum {
    case clusterIP, nodePort, loadBalancer, externalName
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "ClusterIP": self = .clusterIP
        case "NodePort": self = .nodePort
        case "LoadBalancer": self = .loadBalancer
        case "ExternalName": self = .externalName
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .clusterIP: return "ClusterIP"
        case .nodePort: return "NodePort"
        case .loadBalancer: return "LoadBalancer"
        case .externalName: return "ExternalName"
        case .other(let s): return s
        }
    }
}
