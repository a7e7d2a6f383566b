/// What a request path addresses on the API server.
public enum APIPath: Sendable, Hashable {
    case version
    case health(String)
    /// `/api` (core versions) and `/apis` (groups), discovery.
    case coreVersions
    case groups
    /// `/apis/{group}`: one group's versions.
    case group(String)
    /// `/api/v1`, `/apis/{group}/{version}`: the resource list of a group-version.
    case groupVersion(group: String, version: String)
    /// `/openapi/v3`, `/openapi/v3/api/v1`, `/openapi/v3/apis/{g}/{v}`, `/openapi/v2`.
    case openAPIv3Index
    case openAPIv3(group: String, version: String)
    case openAPIv2
    /// A collection or an object of a resource, with an optional subresource.
    case resource(ResourcePath)
    /// The admin endpoint of `slipway dev` (faults, nodes).
    case admin([String])

    /// Parses a request path (without the query).
    public init?(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch segments.first {
        case nil: return nil
        case "version" where segments.count == 1: self = .version
        case "healthz", "readyz", "livez": self = .health(segments[0])
        case "slipway": self = .admin(Array(segments.dropFirst()))
        case "openapi": self.init(openAPI: Array(segments.dropFirst()))
        case "api":
            if segments.count == 1 { self = .coreVersions; return }
            self.init(group: "", version: segments[1], rest: Array(segments.dropFirst(2)))
        case "apis":
            if segments.count == 1 { self = .groups; return }
            if segments.count == 2 { self = .group(segments[1]); return }
            self.init(group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)))
        default: return nil
        }
    }

    private init?(openAPI segments: [String]) {
        switch segments.first {
        case "v2" where segments.count == 1: self = .openAPIv2
        case "v3" where segments.count == 1: self = .openAPIv3Index
        case "v3" where segments.count == 3 && segments[1] == "api": self = .openAPIv3(group: "", version: segments[2])
        case "v3" where segments.count == 4 && segments[1] == "apis": self = .openAPIv3(group: segments[2], version: segments[3])
        default: return nil
        }
    }

    private init?(group: String, version: String, rest: [String]) {
        if rest.isEmpty { self = .groupVersion(group: group, version: version); return }
        var rest = rest
        var namespace: String?
        // `/namespaces/{ns}/{plural}…` addresses a namespaced resource; `/namespaces/{name}`
        // and its own subresources (`status`, `finalize`) address the namespace itself.
        if rest[0] == "namespaces", rest.count >= 3, !["status", "finalize"].contains(rest[2]) || rest.count > 3 {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard rest.count <= 3 else { return nil }
        self = .resource(
            ResourcePath(
                group: group, version: version, namespace: namespace, plural: rest[0], name: rest.count > 1 ? rest[1] : nil,
                subresource: rest.count > 2 ? rest[2] : nil))
    }
}

/// `/api[s]/{group}/{version}/[namespaces/{ns}/]{plural}[/{name}[/{subresource}]]`.
public struct ResourcePath: Sendable, Hashable {
    public var group: String
    public var version: String
    /// The namespace in the path; nil for cluster-scoped resources and all-namespace lists.
    public var namespace: String?
    public var plural: String
    public var name: String?
    public var subresource: String?

    public init(group: String, version: String, namespace: String?, plural: String, name: String?, subresource: String?) {
        self.group = group
        self.version = version
        self.namespace = namespace
        self.plural = plural
        self.name = name
        self.subresource = subresource
    }
}
