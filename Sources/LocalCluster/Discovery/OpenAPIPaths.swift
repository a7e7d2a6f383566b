import KubeAPI

/// The `paths` entries of one served resource in an OpenAPI v3 group-version document,
/// shaped like the real server's (tags, operationId, parameters, request bodies,
/// responses, `x-kubernetes-action`, `x-kubernetes-group-version-kind`).
enum OpenAPIPaths {
    static func paths(for r: ServedResource) -> [(String, JSONValue)] {
        let base = r.group.isEmpty ? "/api/\(r.version)" : "/apis/\(r.group)/\(r.version)"
        let collection = r.type.namespaced ? "\(base)/namespaces/{namespace}/\(r.plural)" : "\(base)/\(r.plural)"
        let scopeParams = r.type.namespaced ? [OpenAPIParameters.path("namespace", kind: r.kind)] : []
        let itemParams = [OpenAPIParameters.path("name", kind: r.kind)] + scopeParams
        let pretty = OpenAPIParameters.query(["pretty"])
        let ops = Operations(r)
        var result: [(String, JSONValue)] = []
        if r.type.namespaced, r.verbs.contains("list") {
            var all = ops.list(allNamespaces: true)
            all["parameters"] = nil
            let listParams = OpenAPIParameters.query((OpenAPIParameters.list + ["pretty"]).sorted())
            result.append(("\(base)/\(r.plural)", ["get": .object(all), "parameters": .array(listParams)]))
        }
        var coll = JSONObject()
        if r.verbs.contains("list") { coll["get"] = .object(ops.list(allNamespaces: false)) }
        if r.verbs.contains("create") { coll["post"] = .object(ops.create()) }
        if r.verbs.contains("deletecollection") { coll["delete"] = .object(ops.deleteCollection()) }
        coll["parameters"] = .array(scopeParams + pretty)
        result.append((collection, .object(coll)))
        var item = JSONObject()
        if r.verbs.contains("get") { item["get"] = .object(ops.read(sub: nil)) }
        if r.verbs.contains("update") { item["put"] = .object(ops.replace(sub: nil)) }
        if r.verbs.contains("delete") { item["delete"] = .object(ops.delete()) }
        if r.verbs.contains("patch") { item["patch"] = .object(ops.patch(sub: nil)) }
        item["parameters"] = .array(itemParams + pretty)
        result.append(("\(collection)/{name}", .object(item)))
        for sub in r.subresources {
            var entry = JSONObject()
            switch sub {
            case "status":
                entry = ["get": .object(ops.read(sub: "status")), "put": .object(ops.replace(sub: "status")), "patch": .object(ops.patch(sub: "status"))]
            case "log": entry = ["get": .object(ops.log())]
            case "binding": entry = ["post": .object(ops.binding())]
            default: continue
            }
            entry["parameters"] = .array(itemParams + pretty)
            result.append(("\(collection)/{name}/\(sub)", .object(entry)))
        }
        return result
    }
}
