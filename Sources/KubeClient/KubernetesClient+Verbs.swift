import Foundation
import KubeAPI
import NIOHTTP1

// MARK: - Typed verbs
//
// `namespace` on get/patch/delete: nil means the client's default namespace for namespaced
// kinds. On list/watch: nil means all namespaces. Create/update/status read the namespace
// from the object (default namespace when it has none).

extension KubernetesClient {
    public func get<T: KubeObject>(_ type: T.Type, name: String, namespace: String? = nil) async throws -> T {
        try await get(T.resource, name: name, namespace: namespace, as: T.self)
    }

    public func list<T: KubeObject>(_ type: T.Type, namespace: String? = nil, options: ListOptions = .init()) async throws -> ObjectList<T> {
        try await list(T.resource, namespace: namespace, options: options, as: T.self)
    }

    /// Lists every page (following `continue` tokens) and returns all items with the
    /// resourceVersion of the first page.
    public func listAll<T: KubeObject>(_ type: T.Type, namespace: String? = nil, options: ListOptions = .init()) async throws -> ObjectList<T> {
        try await listAll(T.resource, namespace: namespace, options: options, as: T.self)
    }

    public func create<T: KubeObject>(_ object: T, fieldManager: String? = nil) async throws -> T {
        try await create(T.resource, object, fieldManager: fieldManager)
    }

    /// PUT with the object's resourceVersion: `KubeError.conflict` when it is stale.
    public func update<T: KubeObject>(_ object: T, fieldManager: String? = nil) async throws -> T {
        try await replace(T.resource, object, subresource: nil, fieldManager: fieldManager)
    }

    /// PUT to the status subresource: only status is written.
    public func updateStatus<T: KubeObject>(_ object: T, fieldManager: String? = nil) async throws -> T {
        try await replace(T.resource, object, subresource: "status", fieldManager: fieldManager)
    }

    public func patch<T: KubeObject>(
        _ type: T.Type, name: String, namespace: String? = nil, patch: JSONValue, patchType: PatchType,
        fieldManager: String? = nil, subresource: String? = nil
    ) async throws -> T {
        try await self.patch(
            T.resource, name: name, namespace: namespace, patch: patch, patchType: patchType, fieldManager: fieldManager,
            subresource: subresource, as: T.self)
    }

    /// Server-side apply of `object` (the whole intent of `fieldManager`).
    public func apply<T: KubeObject>(_ object: T, fieldManager: String, force: Bool = false, subresource: String? = nil) async throws -> T {
        try await patch(
            T.self, name: object.metadata.name ?? "", namespace: object.metadata.namespace, patch: object.json,
            patchType: .apply(force: force), fieldManager: fieldManager, subresource: subresource)
    }

    /// Deletes an object; returns the object when the server answers with it (finalizers
    /// pending, foreground deletion), nil when it answered with a Status.
    @discardableResult
    public func delete<T: KubeObject>(_ type: T.Type, name: String, namespace: String? = nil, options: DeleteOptions = .init()) async throws -> T? {
        let body = try await delete(T.resource, name: name, namespace: namespace, options: options)
        guard let body, body["kind"]?.stringValue != "Status" else { return nil }
        return T(json: body)
    }
}

// MARK: - Dynamic verbs (any resource)

extension KubernetesClient {
    func namespaceFor(_ resource: APIResource, _ namespace: String?) -> String? {
        resource.namespaced ? (namespace ?? defaultNamespace) : nil
    }

    public func get<T: JSONBacked>(_ resource: APIResource, name: String, namespace: String? = nil, as: T.Type = DynamicObject.self) async throws -> T {
        let path = resource.objectPath(namespace: namespaceFor(resource, namespace), name: name)
        let response = try await perform(APIRequest(method: .GET, path: path))
        return try Self.decode(T.self, response.body)
    }

    public func list<T: JSONBacked>(
        _ resource: APIResource, namespace: String? = nil, options: ListOptions = .init(), as: T.Type = DynamicObject.self
    ) async throws -> ObjectList<T> {
        let path = resource.collectionPath(namespace: resource.namespaced ? namespace : nil)
        let response = try await perform(APIRequest(method: .GET, path: path, query: options.queryItems))
        return try Self.decode(ObjectList<T>.self, response.body)
    }

    public func listAll<T: JSONBacked>(
        _ resource: APIResource, namespace: String? = nil, options: ListOptions = .init(), as: T.Type = DynamicObject.self
    ) async throws -> ObjectList<T> {
        var page = try await list(resource, namespace: namespace, options: options, as: T.self)
        var all = page
        while let token = page.metadata.continue, !token.isEmpty {
            var next = options
            next.continue = token
            next.resourceVersion = nil
            next.resourceVersionMatch = nil
            page = try await list(resource, namespace: namespace, options: next, as: T.self)
            all.items += page.items
        }
        all.metadata.continue = nil
        all.metadata.remainingItemCount = nil
        return all
    }

    public func create<T: JSONBacked>(_ resource: APIResource, _ object: T, fieldManager: String? = nil) async throws -> T {
        let ns = namespaceFor(resource, object.json[path: ["metadata", "namespace"]]?.stringValue)
        var query: [(String, String)] = []
        if let fieldManager { query.append(("fieldManager", fieldManager)) }
        let request = APIRequest(method: .POST, path: resource.collectionPath(namespace: ns), query: query, body: JSON.serialize(object.json))
        return try Self.decode(T.self, try await perform(request).body)
    }

    public func replace<T: JSONBacked>(_ resource: APIResource, _ object: T, subresource: String? = nil, fieldManager: String? = nil) async throws -> T {
        let meta = object.json["metadata"]
        guard let name = meta?["name"]?.stringValue else {
            throw KubeError.configuration("cannot update a \(resource.kind) without metadata.name")
        }
        let ns = namespaceFor(resource, meta?["namespace"]?.stringValue)
        var query: [(String, String)] = []
        if let fieldManager { query.append(("fieldManager", fieldManager)) }
        let path = resource.objectPath(namespace: ns, name: name, subresource: subresource)
        let request = APIRequest(method: .PUT, path: path, query: query, body: JSON.serialize(object.json))
        return try Self.decode(T.self, try await perform(request).body)
    }

    public func patch<T: JSONBacked>(
        _ resource: APIResource, name: String, namespace: String? = nil, patch: JSONValue, patchType: PatchType,
        fieldManager: String? = nil, subresource: String? = nil, as: T.Type = DynamicObject.self
    ) async throws -> T {
        var query: [(String, String)] = []
        if let fieldManager { query.append(("fieldManager", fieldManager)) }
        if case .apply(let force) = patchType {
            guard fieldManager != nil else { throw KubeError.configuration("server-side apply needs a fieldManager") }
            if force { query.append(("force", "true")) }
        }
        let path = resource.objectPath(namespace: namespaceFor(resource, namespace), name: name, subresource: subresource)
        let request = APIRequest(
            method: .PATCH, path: path, query: query, body: JSON.serialize(patch), contentType: patchType.contentType)
        return try Self.decode(T.self, try await perform(request).body)
    }

    /// Deletes and returns the answer body (the object or a Status).
    @discardableResult
    public func delete(_ resource: APIResource, name: String, namespace: String? = nil, options: DeleteOptions = .init()) async throws -> JSONValue? {
        let path = resource.objectPath(namespace: namespaceFor(resource, namespace), name: name)
        let response = try await perform(APIRequest(method: .DELETE, path: path, body: JSON.serialize(options.body)))
        return try? JSON.parse(response.body)
    }

    /// GET of any path (discovery documents, `/version`), as JSON.
    public func getRaw(path: String, query: [(String, String)] = []) async throws -> JSONValue {
        let response = try await perform(APIRequest(method: .GET, path: path, query: query))
        do { return try JSON.parse(response.body) } catch { throw KubeError.decoding("\(error)") }
    }
}
