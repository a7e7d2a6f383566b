import KubeAPI

/// Discovery documents: `/version`, aggregated discovery (`apidiscovery.k8s.io/v2`) and the
/// legacy `APIVersions`/`APIGroupList`/`APIResourceList` forms, built from a
/// ``ResourceRegistry`` in the real API server's shape.
public enum Discovery {
    /// The body of `GET /version`.
    public static func version(_ info: ServerVersion = .current) -> JSONValue { info.json }

    /// The aggregated `GET /api` body: one `APIGroupDiscovery` for the core group.
    ///
    /// - Parameter apiVersion: `apidiscovery.k8s.io/v2` (default) or `…/v2beta1`, as negotiated.
    public static func aggregatedCore(_ registry: ResourceRegistry, apiVersion: String = "apidiscovery.k8s.io/v2") -> JSONValue {
        let core = registry.groupVersions.filter { $0.group.isEmpty }
        let items: [JSONValue] = core.isEmpty ? [] : [groupDiscovery(registry, group: "", versions: core.map(\.version))]
        return discoveryList(items, apiVersion: apiVersion)
    }

    /// The aggregated `GET /apis` body: one `APIGroupDiscovery` per named group, in the
    /// registry's order, each with its versions.
    public static func aggregatedGroups(_ registry: ResourceRegistry, apiVersion: String = "apidiscovery.k8s.io/v2") -> JSONValue {
        let items = groupNames(registry).map { group in
            groupDiscovery(registry, group: group, versions: versions(registry, group: group))
        }
        return discoveryList(items, apiVersion: apiVersion)
    }

    /// Named groups in first-appearance order.
    static func groupNames(_ registry: ResourceRegistry) -> [String] {
        var names: [String] = []
        for gv in registry.groupVersions where !gv.group.isEmpty && !names.contains(gv.group) { names.append(gv.group) }
        return names
    }

    /// Versions of `group` in first-appearance order (the first is the preferred one).
    static func versions(_ registry: ResourceRegistry, group: String) -> [String] {
        registry.groupVersions.filter { $0.group == group }.map(\.version)
    }

    /// Resources of one group/version, sorted by plural as the real server lists them.
    static func resources(_ registry: ResourceRegistry, group: String, version: String) -> [ServedResource] {
        registry.resources.filter { $0.group == group && $0.version == version }.sorted { $0.plural < $1.plural }
    }

    private static func discoveryList(_ items: [JSONValue], apiVersion: String) -> JSONValue {
        ["kind": "APIGroupDiscoveryList", "apiVersion": .string(apiVersion), "metadata": [:], "items": .array(items)]
    }

    private static func groupDiscovery(_ registry: ResourceRegistry, group: String, versions: [String]) -> JSONValue {
        let metadata: JSONValue = group.isEmpty ? [:] : ["name": .string(group)]
        let versionEntries: [JSONValue] = versions.map { version in
            [
                "version": .string(version),
                "resources": .array(resources(registry, group: group, version: version).map(resourceDiscovery)),
                "freshness": "Current",
            ]
        }
        return ["metadata": metadata, "versions": .array(versionEntries)]
    }

    private static func resourceDiscovery(_ served: ServedResource) -> JSONValue {
        var entry: JSONObject = [
            "resource": .string(served.plural),
            "responseKind": responseKind(served, kind: served.kind, override: nil),
            "scope": .string(served.discoveryScope),
            "singularResource": .string(served.singular),
            "verbs": .array(served.verbs.map { .string($0) }),
        ]
        if !served.shortNames.isEmpty { entry["shortNames"] = .array(served.shortNames.map { .string($0) }) }
        if !served.categories.isEmpty { entry["categories"] = .array(served.categories.map { .string($0) }) }
        let subresources = SubresourceInfo.all(of: served)
        if !subresources.isEmpty {
            entry["subresources"] = .array(subresources.map { sub in
                [
                    "subresource": .string(sub.name),
                    "responseKind": responseKind(served, kind: sub.kind, override: sub.groupVersion),
                    "verbs": .array(sub.verbs.map { .string($0) }),
                ]
            })
        }
        return .object(entry)
    }

    /// Built-in resources leave group and version empty ("same as the resource"); the CRD
    /// handler fills them in — both exactly as the real server does.
    private static func responseKind(_ served: ServedResource, kind: String, override: (group: String, version: String)?) -> JSONValue {
        if let override { return ["group": .string(override.group), "version": .string(override.version), "kind": .string(kind)] }
        let custom = served.crdName != nil
        return [
            "group": .string(custom ? served.group : ""), "version": .string(custom ? served.version : ""),
            "kind": .string(kind),
        ]
    }
}
