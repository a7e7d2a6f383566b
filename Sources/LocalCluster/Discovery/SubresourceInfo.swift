import KubeAPI

/// What discovery says about one subresource (`pods/status`, `pods/log`, …): the kind it
/// answers with and the verbs it allows — the values the real API server publishes.
struct SubresourceInfo: Sendable {
    var name: String
    /// Group and version of the response kind when they differ from the parent resource's
    /// (`pods/eviction` answers `policy/v1` `Eviction`); nil otherwise.
    var groupVersion: (group: String, version: String)?
    var kind: String
    var verbs: [String]

    /// The subresource `name` of `parent`.
    init(_ name: String, of parent: ServedResource) {
        self.name = name
        switch name {
        case "status":
            kind = parent.kind
            verbs = ["get", "patch", "update"]
        case "log":
            kind = "Pod"
            verbs = ["get"]
        case "binding":
            kind = "Binding"
            verbs = ["create"]
        case "finalize":
            kind = parent.kind
            verbs = ["update"]
        case "eviction":
            groupVersion = ("policy", "v1")
            kind = "Eviction"
            verbs = ["create"]
        case "scale":
            groupVersion = ("autoscaling", "v1")
            kind = "Scale"
            verbs = ["get", "patch", "update"]
        default:
            kind = parent.kind
            verbs = ["get"]
        }
    }

    /// The subresources of `resource`, sorted by name as the real server lists them.
    static func all(of resource: ServedResource) -> [SubresourceInfo] {
        resource.subresources.sorted().map { SubresourceInfo($0, of: resource) }
    }
}

extension ServedResource {
    /// `Namespaced` or `Cluster`, as aggregated discovery spells the scope.
    var discoveryScope: String { type.namespaced ? "Namespaced" : "Cluster" }

    /// `group/version`, or `version` alone for the core group.
    var groupVersionString: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The `storageVersionHash` of legacy discovery: base64 of the first 8 bytes of the
    /// SHA-256 of the storage `group/version/Kind`, exactly as the real server computes it
    /// (CRDs are still stored as `apiextensions.k8s.io/v1beta1`, events.k8s.io Events as
    /// core `v1` Events).
    var storageVersionHash: String {
        let storage: String = switch (group, kind) {
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): "apiextensions.k8s.io/v1beta1/CustomResourceDefinition"
        case ("events.k8s.io", "Event"): "/v1/Event"
        default: "\(group)/\(version)/\(kind)"
        }
        return SHA256.base64(Array(SHA256.hash(Array(storage.utf8)).prefix(8)))
    }
}
