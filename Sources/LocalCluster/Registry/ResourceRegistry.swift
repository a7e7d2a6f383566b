import KubeAPI

/// Every resource the server serves right now: the built-in ones and those of established
/// CRDs. A value: the server swaps in a new registry when a CRD is created, changed or deleted.
public struct ResourceRegistry: Sendable {
    public private(set) var resources: [ServedResource]

    public init(resources: [ServedResource] = BuiltinResources.all) {
        self.resources = resources
    }

    /// The resource at `/api/{version}/…{plural}` or `/apis/{group}/{version}/…{plural}`.
    public func lookup(group: String, version: String, plural: String) -> ServedResource? {
        resources.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// The resource of an object's `apiVersion` and `kind`.
    public func lookup(apiVersion: String, kind: String) -> ServedResource? {
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        return resources.first { $0.group == gvk.group && $0.version == gvk.version && $0.kind == gvk.kind }
    }

    /// Group/versions served, in discovery order (core first, then groups by name).
    public var groupVersions: [(group: String, version: String)] {
        var seen: [String] = []
        var result: [(String, String)] = []
        for r in resources where !seen.contains("\(r.group)/\(r.version)") {
            seen.append("\(r.group)/\(r.version)")
            result.append((r.group, r.version))
        }
        return result
    }

    /// Adds or replaces the resources of one CRD.
    public mutating func setCustomResources(_ served: [ServedResource], forCRD crdName: String) {
        resources.removeAll { $0.crdName == crdName }
        resources += served
    }

    /// Removes the resources of one CRD.
    public mutating func removeCustomResources(forCRD crdName: String) {
        resources.removeAll { $0.crdName == crdName }
    }
}

/// The built-in resources of the local API server.
public enum BuiltinResources {
    public static let namespaces = ServedResource(
        type: .namespaces, singular: "namespace", shortNames: ["ns"],
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], subresources: ["finalize", "status"])
    public static let pods = ServedResource(
        type: .pods, singular: "pod", shortNames: ["po"], categories: ["all"], subresources: ["binding", "eviction", "log", "status"])
    /// `POST /api/v1/namespaces/{ns}/bindings`: binds the pod the body names.
    public static let bindings = ServedResource(type: .bindings, singular: "binding", verbs: ["create"])
    public static let nodes = ServedResource(type: .nodes, singular: "node", shortNames: ["no"], subresources: ["status"])
    public static let configMaps = ServedResource(type: .configMaps, singular: "configmap", shortNames: ["cm"])
    public static let secrets = ServedResource(type: .secrets, singular: "secret")
    public static let services = ServedResource(
        type: .services, singular: "service", shortNames: ["svc"], categories: ["all"],
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], subresources: ["status"])
    public static let serviceAccounts = ServedResource(type: .serviceAccounts, singular: "serviceaccount", shortNames: ["sa"])
    public static let events = ServedResource(type: .events, singular: "event", shortNames: ["ev"])
    /// `events.k8s.io/v1` Events: the core Events, converted.
    public static let eventsV1: ServedResource = {
        var served = ServedResource(type: .events, singular: "event", shortNames: ["ev"])
        served.view = APIResource(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", namespaced: true)
        return served
    }()
    public static let leases = ServedResource(type: .leases, singular: "lease")
    public static let priorityClasses = ServedResource(type: .priorityClasses, singular: "priorityclass", shortNames: ["pc"])
    public static let customResourceDefinitions = ServedResource(
        type: .customResourceDefinitions, singular: "customresourcedefinition", shortNames: ["crd", "crds"],
        categories: ["api-extensions"], subresources: ["status"])

    public static let all: [ServedResource] = [
        // Groups in the real server's discovery order.
        bindings, configMaps, events, namespaces, nodes, pods, secrets, serviceAccounts, services, eventsV1, customResourceDefinitions,
        priorityClasses, leases,
    ]
}
