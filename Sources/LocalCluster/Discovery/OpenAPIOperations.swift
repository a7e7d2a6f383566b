import KubeAPI

/// Builds the operations of one resource. Custom resources get the CRD handler's media
/// types (JSON and YAML; no strategic merge patch); built-ins get the native ones, whose
/// PATCH lists `application/strategic-merge-patch+json` — kubectl computes strategic merge
/// patches from OpenAPI v3 only when that media type is there.
struct Operations {
    let r: ServedResource
    let custom: Bool
    let tag: String
    let idPart: String
    let kindRef: String
    let listRef: String

    init(_ r: ServedResource) {
        self.r = r
        custom = r.crdName != nil
        let groupWords = r.group.isEmpty ? ["core"] : (custom ? r.group : r.group.replacingSuffix(".k8s.io")).split(separator: ".").map(String.init)
        let camel = groupWords.enumerated().map { $0.offset == 0 ? $0.element : $0.element.capitalizedFirst }.joined()
        tag = "\(camel)_\(r.version)"
        idPart = "\(camel.capitalizedFirst)\(r.version.capitalizedFirst)"
        kindRef = "#/components/schemas/" + OpenAPIV3.schemaName(group: r.group, version: r.version, kind: r.kind, custom: custom)
        listRef = "#/components/schemas/" + OpenAPIV3.schemaName(group: r.group, version: r.version, kind: r.kind + "List", custom: custom)
    }

    private var scope: String { r.type.namespaced ? "Namespaced" : "" }
    private var responseTypes: [String] {
        custom ? ["application/json", "application/yaml"] : ["application/json", "application/vnd.kubernetes.protobuf", "application/yaml"]
    }
    private var bodyTypes: [String] { custom ? ["application/json", "application/yaml"] : ["*/*"] }
    private var patchTypes: [String] {
        var types = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]
        if !custom { types.append("application/strategic-merge-patch+json") }
        return types
    }

    private func content(_ types: [String], ref: String) -> JSONValue {
        var object = JSONObject()
        for type in types { object[type] = ["schema": ["$ref": .string(ref)]] }
        return .object(object)
    }

    private func responses(_ codes: [(String, String)], ref: String) -> JSONValue {
        var object = JSONObject()
        for (code, text) in codes { object[code] = ["description": .string(text), "content": content(responseTypes, ref: ref)] }
        object["401"] = ["description": "Unauthorized"]
        return .object(object)
    }

    private func operation(
        _ action: String, _ description: String, _ id: String, params: [String]?, body: JSONValue? = nil, responses: JSONValue
    ) -> JSONObject {
        var op: JSONObject = ["tags": [.string(tag)], "description": .string(description), "operationId": .string(id)]
        if let params { op["parameters"] = .array(OpenAPIParameters.query(params)) }
        if let body { op["requestBody"] = body }
        op["responses"] = responses
        op["x-kubernetes-action"] = .string(action)
        op["x-kubernetes-group-version-kind"] = ["group": .string(r.group), "version": .string(r.version), "kind": .string(r.kind)]
        return op
    }

    private func body(_ types: [String], ref: String) -> JSONValue { ["content": content(types, ref: ref), "required": true] }
    private func suffix(_ sub: String?) -> String { sub.map { $0.capitalizedFirst } ?? "" }
    private var statusRef: String { "#/components/schemas/\(OpenAPIMetaSchemas.prefix)Status" }
    private var deleteOptionsRef: String { "#/components/schemas/\(OpenAPIMetaSchemas.prefix)DeleteOptions" }
    private var patchRef: String { "#/components/schemas/\(OpenAPIMetaSchemas.prefix)Patch" }

    func list(allNamespaces: Bool) -> JSONObject {
        let id = allNamespaces ? "list\(idPart)\(r.kind)ForAllNamespaces" : "list\(idPart)\(scope)\(r.kind)"
        return operation("list", "list objects of kind \(r.kind)", id, params: OpenAPIParameters.list, responses: responses([("200", "OK")], ref: listRef))
    }

    func create() -> JSONObject {
        operation(
            "post", "create a \(r.kind)", "create\(idPart)\(scope)\(r.kind)", params: OpenAPIParameters.write,
            body: body(bodyTypes, ref: kindRef), responses: responses([("200", "OK"), ("201", "Created"), ("202", "Accepted")], ref: kindRef))
    }

    func deleteCollection() -> JSONObject {
        operation(
            "deletecollection", "delete collection of \(r.kind)", "delete\(idPart)Collection\(scope)\(r.kind)",
            params: OpenAPIParameters.list, responses: responses([("200", "OK")], ref: statusRef))
    }

    func read(sub: String?) -> JSONObject {
        let what = sub.map { "read \($0) of the specified \(r.kind)" } ?? "read the specified \(r.kind)"
        return operation("get", what, "read\(idPart)\(scope)\(r.kind)\(suffix(sub))", params: ["resourceVersion"], responses: responses([("200", "OK")], ref: kindRef))
    }

    func replace(sub: String?) -> JSONObject {
        let what = sub.map { "replace \($0) of the specified \(r.kind)" } ?? "replace the specified \(r.kind)"
        return operation(
            "put", what, "replace\(idPart)\(scope)\(r.kind)\(suffix(sub))", params: OpenAPIParameters.write,
            body: body(bodyTypes, ref: kindRef), responses: responses([("200", "OK"), ("201", "Created")], ref: kindRef))
    }

    func delete() -> JSONObject {
        operation(
            "delete", "delete a \(r.kind)", "delete\(idPart)\(scope)\(r.kind)", params: OpenAPIParameters.delete,
            body: ["content": content(bodyTypes, ref: deleteOptionsRef)], responses: responses([("200", "OK"), ("202", "Accepted")], ref: custom ? kindRef : statusRef))
    }

    /// The operation kubectl inspects: GVK extension plus the `fieldValidation` parameter.
    func patch(sub: String?) -> JSONObject {
        let what = sub.map { "partially update \($0) of the specified \(r.kind)" } ?? "partially update the specified \(r.kind)"
        let codes = custom ? [("200", "OK")] : [("200", "OK"), ("201", "Created")]
        return operation(
            "patch", what, "patch\(idPart)\(scope)\(r.kind)\(suffix(sub))", params: OpenAPIParameters.patch,
            body: body(patchTypes, ref: patchRef), responses: responses(codes, ref: kindRef))
    }

    func log() -> JSONObject {
        var op = operation(
            "get", "read log of the specified Pod", "read\(idPart)\(scope)\(r.kind)Log", params: nil,
            responses: ["200": ["description": "OK"], "401": ["description": "Unauthorized"]])
        op["parameters"] = .array(["container", "follow", "previous", "tailLines"].map { name in
            ["name": .string(name), "in": "query", "schema": ["type": .string(name == "container" ? "string" : (name == "tailLines" ? "integer" : "boolean")), "uniqueItems": true]]
        })
        return op
    }

    func binding() -> JSONObject {
        operation(
            "post", "create binding of a Pod", "create\(idPart)\(scope)\(r.kind)Binding", params: OpenAPIParameters.write,
            body: body(bodyTypes, ref: kindRef), responses: responses([("200", "OK"), ("201", "Created"), ("202", "Accepted")], ref: kindRef))
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
