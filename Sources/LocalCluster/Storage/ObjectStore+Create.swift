import Foundation
import KubeAPI

extension ObjectStore {
    /// Creates an object, as `POST` on a collection does.
    ///
    /// Sets `uid`, `creationTimestamp`, `resourceVersion` and (when the resource tracks it)
    /// `generation: 1`; names the object from `generateName` plus five characters when it
    /// has no name. A namespaced object needs an existing namespace that is not being deleted.
    /// For custom resources with a status subresource, `status` sent on create is dropped.
    ///
    /// - Parameters:
    ///   - namespace: the namespace of the request URL; nil takes the object's own.
    ///   - now: the creation time.
    /// - Throws: `409 AlreadyExists`, `404 NotFound` for the namespace, `403 Forbidden` for a
    ///   terminating namespace, `422 Invalid` without a name, `400 BadRequest` for a
    ///   namespace that differs from the URL's.
    public mutating func create(_ type: ResourceType, _ object: JSONObject, namespace: String? = nil, now: Date) throws(Status) -> JSONObject {
        var object = object
        let namespace = try resolveNamespace(type, object: &object, requestNamespace: namespace)
        let name = try assignName(type, object: object, namespace: namespace)
        if let namespace { try checkNamespaceWritable(type, name: name, namespace: namespace) }
        guard entries[StoreKey(type, namespace: namespace, name: name)] == nil else {
            throw StoreErrors.alreadyExists(type, name: name)
        }
        if object["apiVersion"] == nil { object["apiVersion"] = .string(type.resource.apiVersion) }
        if object["kind"] == nil { object["kind"] = .string(type.resource.kind) }
        object.setMeta("name", .string(name))
        object.setMeta("uid", .string(identifiers.nextUID()))
        object.setMeta("resourceVersion", nil)
        object.setMeta("generation", type.tracksGeneration ? 1 : nil)
        object.setMeta("creationTimestamp", now.json)
        object.setMeta("deletionTimestamp", nil)
        object.setMeta("deletionGracePeriodSeconds", nil)
        if type.isCustom && type.hasStatusSubresource { object.removeValue(forKey: "status") }
        return commit(type, key: StoreKey(type, namespace: namespace, name: name), object: object, event: .added)
    }

    private func resolveNamespace(_ type: ResourceType, object: inout JSONObject, requestNamespace: String?) throws(Status) -> String? {
        guard type.namespaced else {
            object.setMeta("namespace", nil)
            return nil
        }
        let own = object.meta("namespace")?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if let own, let requestNamespace, own != requestNamespace {
            throw StoreErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        guard let namespace = requestNamespace ?? own else {
            throw StoreErrors.badRequest("an empty namespace may not be set during creation")
        }
        object.setMeta("namespace", .string(namespace))
        return namespace
    }

    private mutating func assignName(_ type: ResourceType, object: JSONObject, namespace: String?) throws(Status) -> String {
        if let name = object.meta("name")?.stringValue, !name.isEmpty { return name }
        guard let prefix = object.meta("generateName")?.stringValue, !prefix.isEmpty else {
            throw StoreErrors.invalid(type, name: "", causes: [
                StatusCause(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name"),
            ])
        }
        // Like the real registry, retry a few times when a generated name is taken.
        var candidate = prefix + identifiers.nextNameSuffix()
        for _ in 0..<8 where entries[StoreKey(type, namespace: namespace, name: candidate)] != nil {
            candidate = prefix + identifiers.nextNameSuffix()
        }
        return candidate
    }

    private func checkNamespaceWritable(_ type: ResourceType, name: String, namespace: String) throws(Status) {
        guard let ns = entries[StoreKey(.namespaces, namespace: nil, name: namespace)] else {
            throw StoreErrors.namespaceNotFound(namespace)
        }
        if ns.object.meta("deletionTimestamp") != nil {
            throw StoreErrors.namespaceTerminating(type, name: name, namespace: namespace)
        }
    }
}
