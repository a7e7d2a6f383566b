import KubeAPI

extension Discovery {
    /// The legacy `GET /api` body (`APIVersions`; it has no `apiVersion` field).
    ///
    /// - Parameter serverAddress: `host:port` clients reach the server at.
    public static func apiVersions(_ registry: ResourceRegistry, serverAddress: String) -> JSONValue {
        let versions = registry.groupVersions.filter { $0.group.isEmpty }.map { JSONValue.string($0.version) }
        return [
            "kind": "APIVersions",
            "versions": .array(versions),
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    /// The legacy `GET /apis` body (`APIGroupList`); the first version of a group is preferred.
    public static func apiGroupList(_ registry: ResourceRegistry) -> JSONValue {
        let groups: [JSONValue] = groupNames(registry).map { group in
            let entries: [JSONValue] = versions(registry, group: group).map { version in
                ["groupVersion": .string("\(group)/\(version)"), "version": .string(version)]
            }
            return ["name": .string(group), "versions": .array(entries), "preferredVersion": entries[0]]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    /// The legacy `GET /api/{v}` or `GET /apis/{g}/{v}` body (`APIResourceList`), each
    /// resource followed by its subresources (`pods/log`, `pods/status`, …); nil when the
    /// group/version is not served (answer 404).
    public static func apiResourceList(_ registry: ResourceRegistry, group: String, version: String) -> JSONValue? {
        let served = resources(registry, group: group, version: version)
        guard !served.isEmpty else { return nil }
        var entries: [JSONValue] = []
        for resource in served {
            entries.append(legacyEntry(resource))
            for sub in SubresourceInfo.all(of: resource) { entries.append(legacyEntry(sub, of: resource)) }
        }
        var list: JSONObject = ["kind": "APIResourceList"]
        // The real server omits apiVersion on the core list and sets it on group lists.
        if !group.isEmpty { list["apiVersion"] = "v1" }
        list["groupVersion"] = .string(group.isEmpty ? version : "\(group)/\(version)")
        list["resources"] = .array(entries)
        return .object(list)
    }

    private static func legacyEntry(_ served: ServedResource) -> JSONValue {
        var entry: JSONObject = [
            "name": .string(served.plural), "singularName": .string(served.singular),
            "namespaced": .bool(served.type.namespaced), "kind": .string(served.kind),
            "verbs": .array(served.verbs.map { .string($0) }),
        ]
        if !served.shortNames.isEmpty { entry["shortNames"] = .array(served.shortNames.map { .string($0) }) }
        if !served.categories.isEmpty { entry["categories"] = .array(served.categories.map { .string($0) }) }
        // Resources that store nothing (`bindings`) have no storage version.
        if served.verbs.contains("get") { entry["storageVersionHash"] = .string(served.storageVersionHash) }
        return .object(entry)
    }

    private static func legacyEntry(_ sub: SubresourceInfo, of parent: ServedResource) -> JSONValue {
        var entry: JSONObject = [
            "name": .string("\(parent.plural)/\(sub.name)"), "singularName": "",
            "namespaced": .bool(parent.type.namespaced),
        ]
        if let gv = sub.groupVersion {
            entry["group"] = .string(gv.group)
            entry["version"] = .string(gv.version)
        }
        entry["kind"] = .string(sub.kind)
        entry["verbs"] = .array(sub.verbs.map { .string($0) })
        return .object(entry)
    }
}
