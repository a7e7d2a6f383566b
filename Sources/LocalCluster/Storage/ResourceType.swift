import KubeAPI

/// What the store needs to know about a resource to apply the API server's rules to it:
/// its name and scope, whether it has a `status` subresource, and whether it is a custom
/// resource (served from a CRD).
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    /// Group, version, kind, plural and scope.
    public var resource: APIResource
    /// Whether `status` is written through `/status` only (and ignored on the main resource).
    public var hasStatusSubresource: Bool
    /// Whether objects of this resource come from a CustomResourceDefinition.
    public var isCustom: Bool
    /// Whether `metadata.generation` is set on create and bumped on spec changes.
    public var tracksGeneration: Bool

    /// Describes a resource. Generation is tracked by default for custom resources and for
    /// resources with a status subresource, as the real API server does.
    public init(_ resource: APIResource, hasStatusSubresource: Bool = false, isCustom: Bool = false, tracksGeneration: Bool? = nil) {
        self.resource = resource
        self.hasStatusSubresource = hasStatusSubresource
        self.isCustom = isCustom
        self.tracksGeneration = tracksGeneration ?? (isCustom || hasStatusSubresource)
    }

    /// The storage identity: `plural` for the core group, `plural.group` otherwise
    /// (the form the API server's error messages use).
    public var qualifiedName: String { resource.description }
    public var description: String { qualifiedName }
    public var namespaced: Bool { resource.namespaced }

    // MARK: - Built-in resources

    public static let namespaces = ResourceType(
        APIResource(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false),
        hasStatusSubresource: true, tracksGeneration: false)
    public static let pods = ResourceType(
        APIResource(group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true), hasStatusSubresource: true)
    public static let nodes = ResourceType(
        APIResource(group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false),
        hasStatusSubresource: true, tracksGeneration: false)
    public static let configMaps = ResourceType(
        APIResource(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true))
    public static let secrets = ResourceType(
        APIResource(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true))
    public static let services = ResourceType(
        APIResource(group: "", version: "v1", kind: "Service", plural: "services", namespaced: true),
        hasStatusSubresource: true, tracksGeneration: false)
    public static let serviceAccounts = ResourceType(
        APIResource(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true))
    public static let events = ResourceType(
        APIResource(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true))
    public static let leases = ResourceType(
        APIResource(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true))
    public static let bindings = ResourceType(
        APIResource(group: "", version: "v1", kind: "Binding", plural: "bindings", namespaced: true))
    public static let priorityClasses = ResourceType(
        APIResource(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses", namespaced: false))
    public static let customResourceDefinitions = ResourceType(
        APIResource(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false),
        hasStatusSubresource: true)
}

/// Where an object lives: its resource, namespace (nil for cluster-scoped) and name.
///
/// Keys sort as etcd keys do (`/<namespace>/<name>` within a resource), which is the order
/// of list results and the basis of continue tokens.
public struct StoreKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var resource: String
    public var namespace: String?
    public var name: String

    public init(resource: String, namespace: String?, name: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    public init(_ type: ResourceType, namespace: String?, name: String) {
        self.init(resource: type.qualifiedName, namespace: type.namespaced ? namespace : nil, name: name)
    }

    /// The key below the resource prefix: `/<namespace>/<name>` or `/<name>`.
    public var path: String { namespace.map { "/\($0)/\(name)" } ?? "/\(name)" }
    public var description: String { "\(resource)\(path)" }

    public static func < (l: StoreKey, r: StoreKey) -> Bool {
        (l.resource, l.path) < (r.resource, r.path)
    }
}
